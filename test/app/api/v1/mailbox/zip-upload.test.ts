import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { mailboxConnections, mailboxMessages } from "@/db/schema";
import { importMailboxPage } from "@/lib/mailbox/import-mailbox-page";
import { prepareMailboxFile } from "@/lib/mailbox/prepare-mailbox-file";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { eml, fixtures, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { buildZip } from "@/test/fixtures/imports/generate";
import { setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";
import { useTestDatabase } from "@/test/support/database";

// Small caps, so a zip over them is a few kilobytes: 10 entries, 1 MiB inflated.
vi.mock("@/core/mailbox/mailbox-limits", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/core/mailbox/mailbox-limits")>()),
  MAILBOX_ZIP_MAX_ENTRIES: 10,
  MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES: 1024 * 1024,
}));

const env = await setUpImportEnvironment();
const importsRoute = await import("@/app/api/v1/mailbox/imports/route");

let database: Database;
let apiKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mailbox zips" }));
});
afterAll(async () => {
  await database.close();
  await env.tearDown();
});

async function upload(bytes: Buffer, name: string) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), name);
  form.append("ownerAddresses", OWNER);
  const request = new Request("http://localhost/api/v1/mailbox/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const response = await importsRoute.POST(request, { params: Promise.resolve({}) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

const connectionCount = () => database.db.$count(mailboxConnections, eq(mailboxConnections.workspaceId, workspaceId));
const exists = (key: string) =>
  createFileStorage()
    .openRead(key)
    .then(
      (stream) => (stream.destroy(), true),
      () => false,
    );

describe("POST /api/v1/mailbox/imports with a .zip of .eml", () => {
  it("converts the zip and imports it: two messages stored, the malformed one skipped with its reason, other entries ignored", async () => {
    const zip = buildZip([
      { name: "mail/1-plan.eml", data: Buffer.from(eml(fixtures.threadStart)) },
      { name: "mail/2-broken.eml", data: Buffer.from("Subject: nobody wrote this\r\n\r\nno sender, no recipients\r\n") },
      { name: "mail/3-intro.eml", data: Buffer.from(eml(fixtures.signature)) },
      { name: "mail/readme.txt", data: Buffer.from("not a message") },
    ]);
    const { status, body } = await upload(zip, "export.zip");
    expect(status).toBe(201);
    const connectionId = body.id as string;
    const ids = { workspaceId, connectionId };
    const storage = createFileStorage();
    const uploaded = (await getMailboxConnection(database.db, ids))!.fileKey!;

    // What import-mailbox does: the zip rewritten as one mbox first, then its pages.
    expect(await prepareMailboxFile(database.db, storage, ids)).toEqual({ converted: true, messages: 3 });
    expect(await exists(uploaded)).toBe(false);
    for (;;) if ((await importMailboxPage(database.db, storage, ids)).state !== "active") break;

    const connection = (await getMailboxConnection(database.db, ids))!;
    expect(connection).toMatchObject({ messagesSeen: 3, messagesStored: 2, messagesSkipped: 1, skippedSamples: [{ at: expect.stringMatching(/^byte \d+$/), reason: "no sender or recipients" }] });
    expect(connection.finishedAt).not.toBeNull();
    const stored = await database.db.select({ messageId: mailboxMessages.messageId }).from(mailboxMessages).where(eq(mailboxMessages.connectionId, connectionId));
    expect(stored.map((row) => row.messageId).sort()).toEqual(["sig-1@stone.example", "thread-1@acme.example"]);
  });

  it("413 for a zip with more entries than the cap, before any connection exists", async () => {
    const before = await connectionCount();
    const zip = buildZip(Array.from({ length: 11 }, (_, n) => ({ name: `m${n}.eml`, data: Buffer.from(eml(fixtures.threadStart)) })));
    const { status, body } = await upload(zip, "many.zip");
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ code: "zip_too_many_entries", message: "The zip has 11 entries; the limit is 10", fields: { file: ["The zip has 11 entries; the limit is 10"] } });
    expect(await connectionCount()).toBe(before);
  });

  it("413 for a zip bomb: an entry inflating past the cap, told by the central directory", async () => {
    const before = await connectionCount();
    const zip = buildZip([{ name: "bomb.eml", data: Buffer.alloc(2 * 1024 * 1024, 0x41) }]);
    expect(zip.length).toBeLessThan(16 * 1024);
    const { status, body } = await upload(zip, "bomb.zip");
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ code: "zip_too_large", message: "The zip inflates to more than 1 MiB; it looks like a zip bomb" });
    expect(await connectionCount()).toBe(before);
  });

  it("a bomb lying about its size gets past the upload and stops at the cap while it is converted", async () => {
    const zip = buildZip([{ name: "liar.eml", data: Buffer.alloc(2 * 1024 * 1024, 0x41), declaredBytes: 1_000 }]);
    const { status, body } = await upload(zip, "liar.zip");
    expect(status).toBe(201);
    await expect(prepareMailboxFile(database.db, createFileStorage(), { workspaceId, connectionId: body.id })).rejects.toMatchObject({
      name: "MailboxFileError",
      code: "zip_too_large",
      message: "The zip inflates to more than the limit",
    });
  });

  it("400 for a file that starts like a zip but is not one", async () => {
    const { status, body } = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 0x20)]), "fake.zip");
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "zip_invalid", message: expect.stringMatching(/central directory is missing/) });
  });
});
