import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getArchive } from "@/db/queries/campaign-archives";
import { campaignProgress } from "@/db/queries/campaign-recipients";
import { archiveContacts, auditLog } from "@/db/schema";
import { archiveCampaign } from "@/inngest/functions/lifecycle/archive-campaign";
import { restoreArchive } from "@/inngest/functions/lifecycle/restore-archive";
import type { ArchiveManifest } from "@/lib/archives/archive-manifest";
import { requestArchive, requestRestore } from "@/lib/archives/request-archive";
import { checkStoredSeal } from "@/lib/seals/seal-drift";
import { sealCampaignMetrics } from "@/lib/seals/seal-campaign-metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { archivableCampaign, campaignRollups, campaignRows, rowCount } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-fn-"));
process.env.SENDLINE_DATA_DIR = dataDir;
const filePath = (key: string) => path.join(dataDir, "files", key);

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Archiving" }));
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const run = (fn: typeof archiveCampaign | typeof restoreArchive, name: string, archiveId: string) =>
  new InngestTestEngine({ function: fn }).execute({ events: [{ name, data: { workspaceId, archiveId } } as never] });

async function archived(campaignId: string) {
  const requested = await requestArchive(database.db, { workspaceId, campaignId, requestedBy: "dashboard", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  const { result, error } = await run(archiveCampaign, "lifecycle/archive.requested", requested.archive.id);
  expect(error).toBeUndefined();
  return { archiveId: requested.archive.id, result };
}

async function restore(campaignId: string) {
  const requested = await requestRestore(database.db, { workspaceId, campaignId, requestedBy: "dashboard", now: new Date() });
  if (!requested.ok) throw new Error(requested.message);
  return run(restoreArchive, "lifecycle/archive-restore.requested", requested.archive.id);
}

describe("archive-campaign and restore-archive", () => {
  it("moves every row of the campaign to gzip JSONL files and restores them byte for byte, leaving rollups, progress and seals as they were", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "round", size: 5 });
    const ids = { workspaceId, campaignId: campaign.id };
    const seal = await sealCampaignMetrics(database.db, { ...ids, kind: "manual", actor: "test" });
    if (seal.outcome !== "sealed") throw new Error(seal.outcome);
    const before = await campaignRows(database.db, ids);
    const rollups = await campaignRollups(database.db, campaign.id);
    const progress = await campaignProgress(database.db, { campaignId: campaign.id });
    expect(before.messages).toHaveLength(5);
    expect(before.message_attempts).toHaveLength(5);
    expect(before.outbox_messages).toHaveLength(5);
    expect(before.campaign_recipients).toHaveLength(5);
    expect(before.engagement_events).toHaveLength(18);

    const { archiveId, result } = await archived(campaign.id);
    expect(result).toMatchObject({ archived: true });
    const archive = (await getArchive(database.db, { workspaceId, archiveId }))!;
    const manifest = archive.manifest as ArchiveManifest;
    expect(archive.status).toBe("archived");
    expect(manifest.verifiedAt).not.toBeNull();
    expect(manifest.tables).toMatchObject({ messages: { rows: 5, files: 1 }, engagement_events: { rows: 18 }, campaign_recipients: { rows: 5 } });
    for (const file of manifest.files) {
      expect(fs.statSync(filePath(file.key)).size).toBe(file.bytes);
      expect(file.key).toMatch(new RegExp(`^archives/${workspaceId}/${archiveId}/[a-z0-9]+/[a-z-]+/part-1$`));
    }
    expect(JSON.parse(fs.readFileSync(filePath(`${archive.storagePrefix}/manifest`), "utf8"))).toMatchObject({ format: "sendline-archive/1", files: manifest.files });

    // Gone from the database; the campaign, its rollups, progress and seal read the same.
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
    expect(await campaignRollups(database.db, campaign.id)).toEqual(rollups);
    expect(await campaignProgress(database.db, { campaignId: campaign.id })).toEqual({ ...progress, pending: 0 });
    expect(await checkStoredSeal(database.db, seal.seal)).toEqual({ verified: true, problems: [], drift: [] });
    expect(await database.db.select().from(archiveContacts).where(eq(archiveContacts.archiveId, archiveId))).toHaveLength(5);

    const restored = await restore(campaign.id);
    expect(restored.error).toBeUndefined();
    expect(restored.result).toMatchObject({ restored: true, inserted: 38 });
    expect(await campaignRows(database.db, ids)).toEqual(before);
    expect(await campaignProgress(database.db, { campaignId: campaign.id })).toEqual(progress);
    expect((await getArchive(database.db, { workspaceId, archiveId }))!.status).toBe("restored");
    expect(await database.db.select().from(archiveContacts).where(eq(archiveContacts.archiveId, archiveId))).toHaveLength(0);
    for (const file of manifest.files) expect(fs.existsSync(filePath(file.key))).toBe(false);
    const actions = (await database.db.select().from(auditLog).where(eq(auditLog.targetId, campaign.id))).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["campaign.archive_requested", "campaign.archived", "campaign.restore_requested", "campaign.restored"]));

    // Archived again after the restore: a new request, the same rows.
    await archived(campaign.id);
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
    await restore(campaign.id);
    expect(await campaignRows(database.db, ids)).toEqual(before);
  });

  it("writes a table in several files when it has more rows than ARCHIVE_PART_ROWS, and a re-run of the event does nothing twice", async () => {
    process.env.ARCHIVE_PART_ROWS = "100";
    try {
      const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "parts", size: 30 });
      const ids = { workspaceId, campaignId: campaign.id };
      const before = await campaignRows(database.db, ids);
      expect(before.engagement_events.length).toBeGreaterThan(100);
      const { archiveId } = await archived(campaign.id);
      const manifest = (await getArchive(database.db, { workspaceId, archiveId }))!.manifest as ArchiveManifest;
      expect(manifest.tables.engagement_events.files).toBe(2);
      const replay = await run(archiveCampaign, "lifecycle/archive.requested", archiveId);
      expect(replay.result).toMatchObject({ skipped: expect.any(String) });
      await restore(campaign.id);
      expect(await campaignRows(database.db, ids)).toEqual(before);
    } finally {
      delete process.env.ARCHIVE_PART_ROWS;
    }
  });

  it("refuses to restore from a file whose checksum does not match, naming it, and inserts nothing", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "corrupt", size: 3 });
    const ids = { workspaceId, campaignId: campaign.id };
    const { archiveId } = await archived(campaign.id);
    const manifest = (await getArchive(database.db, { workspaceId, archiveId }))!.manifest as ArchiveManifest;
    const victim = manifest.files.find((file) => file.table === "engagement_events")!;
    // One byte flipped, same size: only the checksum can tell.
    const damaged = fs.readFileSync(filePath(victim.key));
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    fs.writeFileSync(filePath(victim.key), damaged);
    const { error } = await restore(campaign.id);
    expect(String((error as Error).message)).toContain(`archive file ${victim.key}: sha256`);
    expect(String((error as Error).message)).toContain("does not match the manifest's");
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
    for (const file of manifest.files) expect(fs.existsSync(filePath(file.key))).toBe(true);

    // A file swapped for another valid gzip is refused as well.
    fs.writeFileSync(filePath(victim.key), gzipSync(Buffer.from("{}\n")));
    await database.db.execute(`update campaign_archives set status = 'archived' where id = '${archiveId}'` as never);
    const swapped = await restore(campaign.id);
    expect(String((swapped.error as Error).message)).toMatch(/size \d+ bytes, the manifest says/);
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
  });

  it("refuses a campaign that may still send and one archived already", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "refuse", size: 1 });
    await database.db.execute(`update campaigns set status = 'sending' where id = '${campaign.id}'` as never);
    const sending = await requestArchive(database.db, { workspaceId, campaignId: campaign.id, requestedBy: "dashboard", now: new Date() });
    expect(sending).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("sending") });
    await database.db.execute(`update campaigns set status = 'cancelled' where id = '${campaign.id}'` as never);
    await archived(campaign.id);
    const twice = await requestArchive(database.db, { workspaceId, campaignId: campaign.id, requestedBy: "dashboard", now: new Date() });
    expect(twice).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("archived") });
  });
});
