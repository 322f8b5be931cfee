import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getEmailAsset } from "@/db/queries/email-assets";
import { markErasureWaiting, requestContactErasure, requestWorkspaceErasure } from "@/db/queries/erasures";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { scrubMailboxMessagesOfContacts } from "@/db/queries/personal-data";
import { rowsOf } from "@/db/queries/rows-of";
import { isSuppressed } from "@/db/queries/suppressions";
import { aiRecommendations, contactRelationships, contacts, contactSources, erasures, mailboxConnections, mailboxMessages, workspaces } from "@/db/schema";
import { storeEmailImage } from "@/lib/assets/store-email-image";
import { createMailboxImport } from "@/lib/mailbox/create-mailbox-import";
import { importMailboxPage } from "@/lib/mailbox/import-mailbox-page";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";
import { summariseRelationship } from "@/lib/mailbox/summarise-relationship";
import { HeuristicModel } from "@/lib/ai/heuristic/heuristic-model";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { fixtures, type FixtureMessage, mbox, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { photo } from "@/test/support/images";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { executeErasure } = await import("@/inngest/functions/lifecycle/execute-erasure");

let database: Database;
let dataDir: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "sendline-execute-erasure-"));
  vi.stubEnv("SENDLINE_DATA_DIR", dataDir);
  storage = new LocalFileStorage(path.join(dataDir, "files"));
  database = await useTestDatabase();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  await recorder.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const exists = (key: string) =>
  storage.openRead(key).then(
    (stream) => (stream.destroy(), true),
    () => false,
  );

/** Requests the workspace's erasure with its window over and runs execute-erasure; returns the erasure and the run's result. */
async function eraseWorkspace(workspaceId: string) {
  const at = new Date(Date.now() - 2 * 86_400_000);
  const { erasure } = (await requestWorkspaceErasure(database.db, { workspaceId, requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 86_400_000) }))!;
  expect(await markErasureWaiting(database.db, { workspaceId, erasureId: erasure.id, at: new Date() })).toBe(true);
  const { result } = await new InngestTestEngine({ function: executeErasure }).execute({ events: [{ name: "lifecycle/erasure.due", data: { workspaceId, erasureId: erasure.id } }] });
  return { erasure, result };
}

const ANN = "ann@acme.example";

/** Where Ann appears besides her own headers: in Cc (capitalised), quoted in a subject and a body, and in a group's display name. */
const mentions = {
  ccd: {
    headers: { From: "Bob Stone <bob@stone.example>", To: OWNER, Cc: "Ann Lee <ANN@Acme.Example>", Subject: "Hello", Date: new Date(Date.UTC(2024, 1, 1)).toUTCString(), "Message-ID": "<ccd-1@stone.example>" },
    body: "Looping in Ann (Ann@ACME.example), she knows.\n",
  },
  quoted: {
    headers: { From: "Bob Stone <bob@stone.example>", To: OWNER, Subject: "Write to ann@acme.example", Date: new Date(Date.UTC(2024, 1, 2)).toUTCString(), "Message-ID": "<quoted-1@stone.example>" },
    body: "Her address is ann@acme.example; mine is bob@stone.example.\n",
  },
  group: {
    headers: { From: "'ann@acme.example' via Sales <sales@groups.example>", To: OWNER, Subject: "Order", Date: new Date(Date.UTC(2024, 1, 3)).toUTCString(), "Message-ID": "<group-1@groups.example>" },
    body: "An order.\n",
  },
} satisfies Record<string, FixtureMessage>;

const mailbox = () => Buffer.from(mbox([fixtures.threadStart, fixtures.threadReply, fixtures.threadReply2, fixtures.signature, ...Object.values(mentions)]), "latin1");

async function importAll(workspaceId: string, file: Buffer) {
  const connection = await createMailboxImport(database.db, storage, Readable.from([file]), { workspaceId, fileName: "takeout.mbox", ownerAddresses: [OWNER], storeBodies: true });
  for (;;) {
    const page = await importMailboxPage(database.db, storage, { workspaceId, connectionId: connection.id });
    if (page.state !== "active") break;
  }
  return (await getMailboxConnection(database.db, { workspaceId, connectionId: connection.id }))!;
}

/** Every mailbox row of the workspace that still names `needle` in any column, case-insensitively. */
async function mailboxRowsNaming(workspaceId: string, needle: string): Promise<string[]> {
  const result = await database.db.execute(sql`
    select 'mailbox_messages ' || m.message_id as row from mailbox_messages m
      where m.workspace_id = ${workspaceId}::uuid and strpos(lower(to_jsonb(m)::text), ${needle.toLowerCase()}) > 0
    union all select 'contact_sources ' || s.field from contact_sources s
      where s.workspace_id = ${workspaceId}::uuid and strpos(lower(to_jsonb(s)::text), ${needle.toLowerCase()}) > 0
    union all select 'mailbox_connections ' || c.label from mailbox_connections c
      where c.workspace_id = ${workspaceId}::uuid and strpos(lower(to_jsonb(c)::text), ${needle.toLowerCase()}) > 0
    union all select 'contact_relationships ' || r.contact_id from contact_relationships r
      where r.workspace_id = ${workspaceId}::uuid and strpos(lower(to_jsonb(r)::text), ${needle.toLowerCase()}) > 0
    union all select 'ai_recommendations ' || a.kind from ai_recommendations a
      where a.workspace_id = ${workspaceId}::uuid and strpos(lower(to_jsonb(a)::text), ${needle.toLowerCase()}) > 0`);
  return rowsOf<{ row: string }>(result).map((row) => row.row);
}

const contactOf = async (workspaceId: string, email: string) =>
  (await database.db.select().from(contacts).where(sql`${contacts.workspaceId} = ${workspaceId}::uuid and lower(${contacts.email}) = ${email}`))[0];

async function eraseContact(workspaceId: string, contactId: string) {
  const at = new Date(Date.now() - 2 * 86_400_000);
  const { erasure } = (await requestContactErasure(database.db, { workspaceId, contactId, requestedBy: "test", at, eraseAfter: new Date(at.getTime() + 86_400_000) }))!;
  expect(await markErasureWaiting(database.db, { workspaceId, erasureId: erasure.id, at: new Date() })).toBe(true);
  const { result } = await new InngestTestEngine({ function: executeErasure }).execute({ events: [{ name: "lifecycle/erasure.due", data: { workspaceId, erasureId: erasure.id } }] });
  return result as { erased: boolean; counts: Record<string, number> };
}

describe("execute-erasure of a contact, in the mailbox", () => {
  it("redacts the person from every stored message, drops where their values came from, keeps the Message-IDs, and a re-import brings nobody back", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Mailbox erasure" });
    const imported = await importAll(workspace.id, mailbox());
    expect(imported).toMatchObject({ messagesStored: 7, messagesSkipped: 0 });
    const ann = (await contactOf(workspace.id, ANN))!;
    expect(ann).toMatchObject({ firstName: "Ann", lastName: "Lee", phone: "+14155550132" });
    expect(await database.db.$count(contactSources, eq(contactSources.contactId, ann.id))).toBe(6);
    // Six messages (thread 1–3, the Cc, the quote, the group's display name) and her email's source.
    expect(await mailboxRowsNaming(workspace.id, ANN)).toHaveLength(6 + 1);
    // Relationships as of early February: Bob's newest thread, which quotes her address, awaits a reply; hers is summarised.
    await scoreRelationshipBatch(database.db, { workspaceId: workspace.id, after: null, now: new Date(Date.UTC(2024, 1, 5)) });
    const bob = (await contactOf(workspace.id, "bob@stone.example"))!;
    expect((await database.db.select().from(contactRelationships).where(eq(contactRelationships.contactId, bob.id)))[0]).toMatchObject({ awaitingSubject: "Write to ann@acme.example" });
    expect(await summariseRelationship(database.db, { workspaceId: workspace.id, contactId: ann.id, model: new HeuristicModel(), actor: "test" })).toMatchObject({ ok: true });
    expect(await database.db.$count(aiRecommendations, eq(aiRecommendations.targetId, ann.id))).toBe(1);

    const { erased, counts } = await eraseContact(workspace.id, ann.id);
    expect(erased).toBe(true);
    // Her relationship row and the one quoting her (Bob's), and her summary with the excerpts it was shown.
    expect(counts).toMatchObject({ mailbox_messages: 6, contact_sources: 6, contact_relationships: 2, ai_recommendations: 1, contacts: 1 });
    expect(await database.db.$count(contactRelationships, eq(contactRelationships.contactId, ann.id))).toBe(0);
    expect(await database.db.$count(aiRecommendations, eq(aiRecommendations.targetId, ann.id))).toBe(0);
    expect((await database.db.select().from(contactRelationships).where(eq(contactRelationships.contactId, bob.id)))[0]).toMatchObject({ awaitingSubject: "Write to redacted" });

    expect(await mailboxRowsNaming(workspace.id, ANN)).toEqual([]);
    expect(await mailboxRowsNaming(workspace.id, "4155550132")).toEqual([]);
    const rows = await database.db
      .select()
      .from(mailboxMessages)
      .where(eq(mailboxMessages.workspaceId, workspace.id))
      .orderBy(mailboxMessages.sentAt);
    const byId = new Map(rows.map((row) => [row.messageId, row]));
    // Every message is still there under its Message-ID and thread.
    expect([...byId.keys()].sort()).toEqual(["ccd-1@stone.example", "group-1@groups.example", "quoted-1@stone.example", "sig-1@stone.example", "thread-1@acme.example", "thread-2@sendline.test", "thread-3@acme.example"]);
    expect(byId.get("thread-3@acme.example")).toMatchObject({
      threadId: "thread-1@acme.example",
      fromAddress: { name: null, address: "redacted" },
      toAddresses: [{ name: null, address: OWNER }],
      participants: [OWNER],
    });
    expect(byId.get("thread-2@sendline.test")).toMatchObject({ toAddresses: [{ name: null, address: "redacted" }], participants: [OWNER] });
    // Someone else's message keeps everyone else: only Ann's entry (and her display name) is redacted.
    expect(byId.get("ccd-1@stone.example")).toMatchObject({
      fromAddress: { name: "Bob Stone", address: "bob@stone.example" },
      ccAddresses: [{ name: null, address: "redacted" }],
      participants: ["bob@stone.example", OWNER],
      body: expect.stringMatching(/^Looping in Ann \(redacted\), she knows\.\s*$/),
    });
    expect(byId.get("quoted-1@stone.example")).toMatchObject({
      subject: "Write to redacted",
      body: expect.stringMatching(/^Her address is redacted; mine is bob@stone\.example\.\s*$/),
      snippet: "Her address is redacted; mine is bob@stone.example.",
    });
    expect(byId.get("group-1@groups.example")!.fromAddress).toEqual({ name: "'redacted' via Sales", address: "sales@groups.example" });
    expect(byId.get("sig-1@stone.example")!.fromAddress).toEqual({ name: "Bob Stone", address: "bob@stone.example" });
    expect(await isSuppressed(database.db, { workspaceId: workspace.id, channel: "email", address: ANN })).toBe(true);

    // The same export again: every message is known by its Message-ID, nothing is stored or extracted.
    const again = await importAll(workspace.id, mailbox());
    expect(again).toMatchObject({ messagesSeen: 7, messagesStored: 0, contactsCreated: 0, contactsUpdated: 0 });
    // New mail from her: stored, but she is not created again (her address is suppressed as erased).
    const fresh = { ...fixtures.threadReply2, headers: { ...fixtures.threadReply2.headers, "Message-ID": "<thread-4@acme.example>", Date: new Date(Date.UTC(2024, 2, 1)).toUTCString() } };
    const later = await importAll(workspace.id, Buffer.from(mbox([fresh]), "latin1"));
    expect(later).toMatchObject({ messagesStored: 1, contactsCreated: 0 });
    expect(await contactOf(workspace.id, ANN)).toBeUndefined();
  });

  it("scrubMailboxMessagesOfContacts is idempotent and touches only the workspace's messages naming the contacts", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Scrub twice" });
    const { workspace: other } = await createWorkspace(database.db, { name: "Other mailbox" });
    await importAll(workspace.id, mailbox());
    await importAll(other.id, mailbox());
    const ann = (await contactOf(workspace.id, ANN))!;
    const set = { workspaceId: workspace.id, contactIds: [ann.id] };
    expect(await scrubMailboxMessagesOfContacts(database.db, set)).toBe(6);
    expect(await scrubMailboxMessagesOfContacts(database.db, set)).toBe(0);
    expect(await mailboxRowsNaming(workspace.id, "ann@acme.example")).toEqual(["contact_sources email"]);
    // The other workspace's copy of the same mail is not this erasure's.
    expect((await mailboxRowsNaming(other.id, ANN)).length).toBe(7);
  });
});

describe("execute-erasure of a workspace", () => {
  it("deletes the workspace's email images from storage with its rows, and leaves other workspaces' images", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Leaving" });
    const { workspace: staying } = await createWorkspace(database.db, { name: "Staying" });
    const image = await photo(400, 300);
    const gone = await storeEmailImage(database.db, storage, { workspaceId: workspace.id, fileName: "hero.jpg", bytes: image });
    const kept = await storeEmailImage(database.db, storage, { workspaceId: staying.id, fileName: "hero.jpg", bytes: image });
    expect(await exists(gone.asset.storageKey)).toBe(true);

    const { erasure, result } = await eraseWorkspace(workspace.id);
    expect(result).toMatchObject({ erased: true, counts: { files: 1, workspaces: 1 } });
    expect(await exists(gone.asset.storageKey)).toBe(false);
    expect(await getEmailAsset(database.db, { workspaceId: workspace.id, assetId: gone.asset.id })).toBeUndefined();
    expect(await database.db.select().from(workspaces).where(eq(workspaces.id, workspace.id))).toEqual([]);
    expect((await database.db.select().from(erasures).where(eq(erasures.id, erasure.id)))[0]).toMatchObject({ status: "erased" });

    expect(await exists(kept.asset.storageKey)).toBe(true);
    expect(await getEmailAsset(database.db, { workspaceId: staying.id, assetId: kept.asset.id })).toBeDefined();
  });

  it("deletes the uploaded mailbox file with the connections, messages and sources", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Leaving with mail" });
    const connection = await importAll(workspace.id, mailbox());
    expect(await exists(connection.fileKey!)).toBe(true);

    const { result } = await eraseWorkspace(workspace.id);
    expect(result).toMatchObject({ erased: true, counts: { files: 1, workspaces: 1 } });

    expect(await exists(connection.fileKey!)).toBe(false);
    expect(await database.db.$count(mailboxConnections, eq(mailboxConnections.workspaceId, workspace.id))).toBe(0);
    expect(await database.db.$count(mailboxMessages, eq(mailboxMessages.workspaceId, workspace.id))).toBe(0);
    expect(await database.db.$count(contactSources, eq(contactSources.workspaceId, workspace.id))).toBe(0);
  });
});
