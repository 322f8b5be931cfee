import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertArchivedRows } from "@/db/queries/archived-rows";
import { failArchive, getArchive } from "@/db/queries/campaign-archives";
import { archiveCampaign } from "@/inngest/functions/lifecycle/archive-campaign";
import { restoreArchive } from "@/inngest/functions/lifecycle/restore-archive";
import { deleteArchivedChunk, writeArchivePart } from "@/lib/archives/archive-campaign";
import { readVerifiedLines } from "@/lib/archives/archive-files";
import type { ArchiveManifest } from "@/lib/archives/archive-manifest";
import { requestArchive, requestRestore } from "@/lib/archives/request-archive";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { archivableCampaign, campaignRows, rowCount } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";

/**
 * What a duplicate execution can do to an archive. A call cut off by a crash may go on running
 * in the app beside the run's new execution, late, reading the tables after the rows began to
 * move: it must neither replace a verified file nor move rows once the archive has moved on.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-duplicates-"));
process.env.SENDLINE_DATA_DIR = dataDir;

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Duplicates" }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const event = (name: string, archiveId: string) => ({ events: [{ name, data: { workspaceId, archiveId } } as never] as [never] });

async function archive(campaignId: string): Promise<{ archiveId: string; manifest: ArchiveManifest; prefix: string }> {
  const requested = await requestArchive(database.db, { workspaceId, campaignId, requestedBy: "test", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  const { error } = await new InngestTestEngine({ function: archiveCampaign }).execute(event("lifecycle/archive.requested", requested.archive.id));
  expect(error).toBeUndefined();
  const row = await getArchive(database.db, { workspaceId, archiveId: requested.archive.id });
  return { archiveId: row!.id, manifest: row!.manifest as ArchiveManifest, prefix: row!.storagePrefix! };
}

async function restore(campaignId: string): Promise<void> {
  const requested = await requestRestore(database.db, { workspaceId, campaignId, requestedBy: "test", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  const { error } = await new InngestTestEngine({ function: restoreArchive }).execute(event("lifecycle/archive-restore.requested", requested.archive.id));
  expect(error).toBeUndefined();
}

describe("archive parts are write-once", () => {
  it("a late write of a part, after its rows were deleted, adopts the verified file instead of replacing it", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "late-write", size: 3 });
    const { manifest, prefix } = await archive(campaign.id);
    const file = manifest.files.find((entry) => entry.table === "messages")!;
    const bytes = fs.readFileSync(path.join(dataDir, "files", file.key));
    expect(rowCount(await campaignRows(database.db, { workspaceId, campaignId: campaign.id }))).toBe(0);

    const late = await writeArchivePart(database.db, createFileStorage(), { workspaceId, campaignId: campaign.id, prefix, table: "messages", part: 1, afterKey: null, limit: 100 });
    expect(late).toEqual(file);
    expect(fs.readFileSync(path.join(dataDir, "files", file.key))).toEqual(bytes);
    await expect(readVerifiedLines(createFileStorage(), file)).resolves.toHaveLength(3);
  });

  it("a failed archive asked again writes under a new folder, so it never adopts the old attempt's parts", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "reopened", size: 1 });
    const first = await requestArchive(database.db, { workspaceId, campaignId: campaign.id, requestedBy: "test", now: new Date("2026-12-01T00:00:00Z") });
    if (!first.ok) throw new Error(first.message);
    await failArchive(database.db, { archiveId: first.archive.id, error: "storage down" });
    const second = await requestArchive(database.db, { workspaceId, campaignId: campaign.id, requestedBy: "test", now: new Date("2026-12-02T00:00:00Z") });
    if (!second.ok) throw new Error(second.message);
    expect(second.archive.id).toBe(first.archive.id);
    expect(second.archive.storagePrefix).not.toBe(first.archive.storagePrefix);
    expect(second.archive.storagePrefix!.startsWith(`archives/${workspaceId}/${first.archive.id}/`)).toBe(true);
  });
});

describe("rows move only while the archive is in the state that moves them", () => {
  it("a late delete step after a restore deletes nothing, and a late insert step after a new archive inserts nothing", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "late-rows", size: 2 });
    const ids = { workspaceId, campaignId: campaign.id };
    const before = await campaignRows(database.db, ids);
    const { archiveId, manifest } = await archive(campaign.id);
    const messages = manifest.files.find((entry) => entry.table === "messages")!;
    const lines = await readVerifiedLines(createFileStorage(), messages);

    await restore(campaign.id);
    expect(await campaignRows(database.db, ids)).toEqual(before);
    expect(await deleteArchivedChunk(database.db, { manifest, table: "messages", limit: 100 })).toBe(0);
    expect(await campaignRows(database.db, ids)).toEqual(before);

    const again = await archive(campaign.id);
    expect(again.archiveId).toBe(archiveId);
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
    expect(await insertArchivedRows(database.db, { archiveId, table: "messages", lines })).toBe(0);
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
  });
});
