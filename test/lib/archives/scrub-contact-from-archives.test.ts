import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { ARCHIVED_TABLES, type ArchivedTable } from "@/db/queries/archived-rows";
import { getArchive } from "@/db/queries/campaign-archives";
import { archiveContacts } from "@/db/schema";
import { archiveCampaign } from "@/inngest/functions/lifecycle/archive-campaign";
import { restoreArchive } from "@/inngest/functions/lifecycle/restore-archive";
import { readVerifiedLines } from "@/lib/archives/archive-files";
import type { ArchiveManifest } from "@/lib/archives/archive-manifest";
import { requestArchive, requestRestore } from "@/lib/archives/request-archive";
import { scrubContactFromArchives } from "@/lib/archives/scrub-contact-from-archives";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { archivableCampaign, campaignRows } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-scrub-"));
process.env.SENDLINE_DATA_DIR = dataDir;

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Scrubbing" }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function archive(campaignId: string): Promise<string> {
  const requested = await requestArchive(database.db, { workspaceId, campaignId, requestedBy: "test", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  const { error } = await new InngestTestEngine({ function: archiveCampaign }).execute({ events: [{ name: "lifecycle/archive.requested", data: { workspaceId, archiveId: requested.archive.id } } as never] });
  expect(error).toBeUndefined();
  return requested.archive.id;
}

async function restore(campaignId: string): Promise<void> {
  const requested = await requestRestore(database.db, { workspaceId, campaignId, requestedBy: "test", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  const { error } = await new InngestTestEngine({ function: restoreArchive }).execute({ events: [{ name: "lifecycle/archive-restore.requested", data: { workspaceId, archiveId: requested.archive.id } } as never] });
  expect(error).toBeUndefined();
}

/** A row of the contact: theirs by contact id, or by one of their messages. */
function ofContact(table: ArchivedTable, line: string, contactId: string, messageIds: Set<string>): boolean {
  const row = JSON.parse(line) as Record<string, unknown>;
  if (table === "messages") return messageIds.has(String(row.id));
  if (table === "campaign_recipients") return row.contact_id === contactId;
  return row.contact_id === contactId || messageIds.has(String(row.message_id));
}

describe("scrubContactFromArchives", () => {
  it("rewrites the archive's files without exactly one contact's rows, with new checksums, and forgets the contact in the index", async () => {
    const { campaign, contactIds, messageIds } = await archivableCampaign(database.db, { workspaceId, prefix: "scrub", size: 4 });
    const other = await archivableCampaign(database.db, { workspaceId, prefix: "untouched", size: 2 });
    const ids = { workspaceId, campaignId: campaign.id };
    const before = await campaignRows(database.db, ids);
    const otherBefore = await campaignRows(database.db, { workspaceId, campaignId: other.campaign.id });
    const archiveId = await archive(campaign.id);
    await archive(other.campaign.id);
    const manifestBefore = (await getArchive(database.db, { workspaceId, archiveId }))!.manifest as ArchiveManifest;

    const contactId = contactIds[1]!;
    const theirs = new Set([messageIds[1]!]);
    const expected = Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, before[table].filter((line) => ofContact(table, line, contactId, theirs)).length]));
    expect(expected).toEqual({ messages: 1, message_attempts: 1, outbox_messages: 1, campaign_recipients: 1, engagement_events: 3 });

    const result = await scrubContactFromArchives(database.db, createFileStorage(), { workspaceId, contactId });
    expect(result).toEqual({ archives: [archiveId], rows: expected, busy: [] });

    const archived = (await getArchive(database.db, { workspaceId, archiveId }))!;
    const manifest = archived.manifest as ArchiveManifest;
    expect(manifest.files.every((file) => file.revision === 1)).toBe(true);
    expect(manifest.tables.messages.rows).toBe(manifestBefore.tables.messages.rows - 1);
    expect(manifest.scrubs).toEqual([{ at: expect.any(String), rows: 7 }]);
    expect(manifest.progress).toEqual(manifestBefore.progress);
    for (const file of manifest.files) await expect(readVerifiedLines(createFileStorage(), file)).resolves.toHaveLength(file.rows);
    for (const file of manifestBefore.files) expect(fs.existsSync(path.join(dataDir, "files", file.key))).toBe(false);
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, "files", `${archived.storagePrefix}/manifest`), "utf8")) as ArchiveManifest;
    expect(stored.files).toEqual(manifest.files);
    const indexed = (await database.db.select().from(archiveContacts).where(eq(archiveContacts.archiveId, archiveId))).map((row) => row.contactId);
    expect(indexed.sort()).toEqual(contactIds.filter((id) => id !== contactId).sort());

    // Nothing left to find: a second call removes nothing.
    expect(await scrubContactFromArchives(database.db, createFileStorage(), { workspaceId, contactId })).toMatchObject({ archives: [], busy: [] });
    // Another workspace's call never reaches this archive.
    const stranger = await createWorkspace(database.db, { name: "Stranger" });
    expect(await scrubContactFromArchives(database.db, createFileStorage(), { workspaceId: stranger.workspace.id, contactId: contactIds[0]! })).toMatchObject({ archives: [] });

    // Restored, the campaign has every row it had except the contact's; the other campaign lost nothing.
    await restore(campaign.id);
    await restore(other.campaign.id);
    const after = await campaignRows(database.db, ids);
    for (const table of ARCHIVED_TABLES) expect(after[table]).toEqual(before[table].filter((line) => !ofContact(table, line, contactId, theirs)));
    expect(await campaignRows(database.db, { workspaceId, campaignId: other.campaign.id })).toEqual(otherBefore);
  });
});
