import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, contactSources, mailboxMessages } from "@/db/schema";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { MAILBOX_PAGE_MESSAGES } from "@/core/mailbox/mailbox-limits";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { CORRESPONDENTS, generatedMailbox } from "@/test/fixtures/mailbox/generated-mailbox";
import { OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * A mailbox export of a few thousand messages through the real upload route and the engine:
 * exact counts and contacts, a kill mid-import that resumes at the last committed page, a
 * replay of the same file that adds nothing, and the cost in Inngest executions.
 */
const MESSAGES = 3_000;
const GOAL_EXECUTIONS_PER_1000 = 20;

let app: Awaited<ReturnType<typeof startAppEngine>>;
let importsRoute: typeof import("@/app/api/v1/mailbox/imports/route");
let database: Database;
let apiKey: string;
let workspaceId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-mailbox-e2e-"));

beforeAll(async () => {
  process.env.SENDLINE_DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Mailbox e2e" }));
  app = await startAppEngine({ persistent: true });
  importsRoute = await import("@/app/api/v1/mailbox/imports/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function upload(file: Buffer): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(file)]), "takeout.mbox");
  form.append("ownerAddresses", OWNER);
  const response = await importsRoute.POST(
    new Request("http://localhost/api/v1/mailbox/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form }),
    { params: Promise.resolve({}) },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const connectionOf = async (connectionId: string) => (await getMailboxConnection(database.db, { workspaceId, connectionId }))!;
const settled = async () => waitFor(() => app.engine.countRuns({ status: ["queued", "running"] }), (open) => open === 0, 60_000);

describe("mailbox import through the engine", () => {
  it("imports a few thousand messages exactly once across a kill, extracts the expected contacts, and costs ≤ 20 executions per 1,000 messages", { timeout: 240_000 }, async () => {
    const { file, unique, automated } = generatedMailbox(MESSAGES);
    const started = performance.now();
    const connectionId = await upload(file);

    await waitFor(() => connectionOf(connectionId), (row) => row.messagesSeen >= 2 * MAILBOX_PAGE_MESSAGES, 60_000);
    // Calls in flight are cut off after 50 ms; their page either committed or rolled back.
    await app.engine.stop(50);
    const atKill = await connectionOf(connectionId);
    expect(atKill.finishedAt).toBeNull();
    await app.restart();

    const done = await waitFor(() => connectionOf(connectionId), (row) => row.finishedAt !== null || row.status !== "active", 120_000);
    const seconds = (performance.now() - started) / 1000;
    await settled();
    expect(done).toMatchObject({ status: "active", messagesSeen: MESSAGES, messagesStored: unique, messagesSkipped: 0, contactsCreated: CORRESPONDENTS.length });
    expect(await database.db.$count(mailboxMessages, eq(mailboxMessages.workspaceId, workspaceId))).toBe(unique);
    expect(await database.db.$count(mailboxMessages, eq(mailboxMessages.automated, true))).toBe(automated);

    const people = await database.db
      .select({ email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName, phone: contacts.phone })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .orderBy(contacts.email);
    const expected = CORRESPONDENTS.map((person) => ({ email: person.email, firstName: person.firstName, lastName: person.lastName, phone: person.signed ? person.phone : null })).sort((a, b) =>
      a.email.localeCompare(b.email),
    );
    expect(people).toEqual(expected);
    expect(await database.db.$count(contactSources, eq(contactSources.field, "phone"))).toBe(CORRESPONDENTS.filter((person) => person.signed).length);

    const runs = await app.engine.listRuns({ limit: 100_000 });
    const steps = runs.reduce((sum, run) => sum + Object.keys(run.steps ?? {}).length, 0);
    const per1000 = ((runs.length + steps) * 1000) / MESSAGES;
    console.log(
      `mailbox e2e: ${MESSAGES} messages (${unique} unique) in ${seconds.toFixed(1)} s across a kill at ${atKill.messagesSeen} = ${(MESSAGES / seconds).toFixed(0)} messages/s; ` +
        `${runs.length} runs + ${steps} steps = ${per1000.toFixed(1)} executions per 1,000 messages (${runs.map((run) => run.fn_id.replace(/^sendline-/, "")).join(", ")})`,
    );
    expect(per1000).toBeLessThanOrEqual(GOAL_EXECUTIONS_PER_1000);

    // The same export again: every Message-ID is known, so nothing is stored or extracted twice.
    const again = await upload(file);
    const replay = await waitFor(() => connectionOf(again), (row) => row.finishedAt !== null, 120_000);
    expect(replay).toMatchObject({ messagesSeen: MESSAGES, messagesStored: 0, contactsCreated: 0, contactsUpdated: 0 });
    expect(await database.db.$count(contacts, eq(contacts.workspaceId, workspaceId))).toBe(CORRESPONDENTS.length);
  });
});
