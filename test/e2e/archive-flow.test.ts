import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getCampaignArchive } from "@/db/queries/campaign-archives";
import type { z } from "zod";
import { archivesApi } from "@/lib/api/contracts/archives";
import { campaignsApi } from "@/lib/api/contracts/campaigns";
import type { ArchiveManifest } from "@/lib/archives/archive-manifest";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { archivableCampaign, campaignRows, rowCount } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Campaign archives end to end: the nightly plan (time moved for the app and the engine together)
 * archives what ended more than ARCHIVE_CAMPAIGNS_AFTER_DAYS ago and nothing younger; the API
 * archives on demand, answers for the archive, and restores it to identical rows; a damaged file
 * refuses the restore through the function's failure handler and leaves the archive as it was.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let archiveRoute: typeof import("@/app/api/v1/campaigns/[id]/archive/route");
let restoreRoute: typeof import("@/app/api/v1/campaigns/[id]/restore/route");
let archivesRoute: typeof import("@/app/api/v1/archives/route");
let archiveDetail: typeof import("@/app/api/v1/archives/[id]/route");
let campaignRoute: typeof import("@/app/api/v1/campaigns/[id]/route");
let failuresRoute: typeof import("@/app/api/v1/campaigns/[id]/failures/route");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-archive-flow-"));

beforeAll(async () => {
  process.env.SENDLINE_DATA_DIR = dataDir;
  process.env.ARCHIVE_CAMPAIGNS_AFTER_DAYS = "30";
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Archive flow" }));
  // Persistent: the restart test starts a new engine on the killed one's state.
  app = await startAppEngine({ persistent: true });
  archiveRoute = await import("@/app/api/v1/campaigns/[id]/archive/route");
  restoreRoute = await import("@/app/api/v1/campaigns/[id]/restore/route");
  archivesRoute = await import("@/app/api/v1/archives/route");
  archiveDetail = await import("@/app/api/v1/archives/[id]/route");
  campaignRoute = await import("@/app/api/v1/campaigns/[id]/route");
  failuresRoute = await import("@/app/api/v1/campaigns/[id]/failures/route");
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await app?.stop();
  await database?.close();
  delete process.env.ARCHIVE_CAMPAIGNS_AFTER_DAYS;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}

const post = (route: typeof archiveRoute | typeof restoreRoute, kind: "archive" | "restore", id: string) =>
  callRoute(route.POST, { method: "POST", path: `/api/v1/campaigns/${id}/${kind}`, apiKey, params: { id } });
const detail = (id: string) => callRoute(archiveDetail.GET, { path: `/api/v1/archives/${id}`, apiKey, params: { id } });
const settled = (id: string, status: string) => waitFor(() => detail(id), (response) => response.body.status === status || response.body.status === "failed", 60_000);
/** The documented schema parses the answer and drops nothing from it. */
function expectDocumented(schema: z.ZodType | undefined, body: unknown, name: string) {
  const parsed = schema!.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, name).toEqual([]);
  expect(parsed.data, name).toEqual(body);
}
const archiveOf = async (campaignId: string) => getCampaignArchive(database.db, { workspaceId, campaignId });

describe("campaign archives through the engine", () => {
  it("archives on schedule only what ended more than ARCHIVE_CAMPAIGNS_AFTER_DAYS ago, moving time for app and engine together", { timeout: 120_000 }, async () => {
    const now = Date.now();
    const old = await archivableCampaign(database.db, { workspaceId, prefix: "old", size: 3, endedAt: new Date(now - 40 * DAY_MS) });
    const recent = await archivableCampaign(database.db, { workspaceId, prefix: "recent", size: 2, endedAt: new Date(now - 10 * DAY_MS) });

    await fireCronNow("plan-archives");
    const first = await waitFor(() => archiveOf(old.campaign.id), (row) => row?.status === "archived", 60_000);
    expect(first).toMatchObject({ status: "archived", requestedBy: "schedule" });
    expect(await archiveOf(recent.campaign.id)).toBeUndefined();
    expect(rowCount(await campaignRows(database.db, { workspaceId, campaignId: old.campaign.id }))).toBe(0);

    // 25 days on, the recent campaign is 35 days old: the next night takes it.
    useTestClock(now + 25 * DAY_MS);
    await fireCronNow("plan-archives");
    await waitFor(() => archiveOf(recent.campaign.id), (row) => row?.status === "archived", 60_000);
    vi.useRealTimers();
  });

  it("archives on request, says so on the campaign, and restores identical rows", { timeout: 120_000 }, async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "ondemand", size: 4 });
    const ids = { workspaceId, campaignId: campaign.id };
    const before = await campaignRows(database.db, ids);
    const statsBefore = (await callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${campaign.id}`, apiKey, params: { id: campaign.id } })).body.stats;

    await database.db.execute(sql`update campaigns set status = 'sending' where id = ${campaign.id}::uuid`);
    const refused = await post(archiveRoute, "archive", campaign.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("sending");
    await database.db.execute(sql`update campaigns set status = 'sent' where id = ${campaign.id}::uuid`);

    const accepted = await post(archiveRoute, "archive", campaign.id);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ campaignId: campaign.id, status: "archiving", requestedBy: expect.stringMatching(/^api_key:/) });
    const done = await settled(accepted.body.id, "archived");
    expect(done.body).toMatchObject({ status: "archived", rows: rowCount(before), error: null });
    expect(done.body.manifest).toMatchObject({ format: "sendline-archive/1", verifiedAt: expect.any(String), tables: { messages: { rows: 4 } } });
    expect((done.body.manifest as ArchiveManifest).files.every((file) => /^[0-9a-f]{64}$/.test(file.sha256) && /^[0-9a-f]{64}$/.test(file.contentSha256))).toBe(true);
    expect(rowCount(await campaignRows(database.db, ids))).toBe(0);

    const shown = await callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${campaign.id}`, apiKey, params: { id: campaign.id } });
    expectDocumented(campaignsApi.get.responses[200].schema, shown.body, "GET /campaigns/{id}");
    expectDocumented(archivesApi.archive.responses[202].schema, accepted.body, "POST /campaigns/{id}/archive");
    expectDocumented(archivesApi.get.responses[200].schema, done.body, "GET /archives/{id}");
    expect(shown.body.archive).toMatchObject({ id: accepted.body.id, status: "archived", rowsInArchive: true });
    expect(shown.body.stats).toEqual({ ...statsBefore, pending: 0 });
    const failures = await callRoute(failuresRoute.GET, { path: `/api/v1/campaigns/${campaign.id}/failures`, apiKey, params: { id: campaign.id } });
    expect(failures.body).toMatchObject({ data: [], archived: expect.stringContaining("cold storage") });
    const list = await callRoute(archivesRoute.GET, { path: "/api/v1/archives?status=archived&limit=1", apiKey });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    expectDocumented(archivesApi.list.responses[200].schema, list.body, "GET /archives");
    expectDocumented(campaignsApi.failures.responses[200].schema, failures.body, "GET /campaigns/{id}/failures");
    const again = await post(archiveRoute, "archive", campaign.id);
    expect(again.status).toBe(409);

    const restoring = await post(restoreRoute, "restore", campaign.id);
    expect(restoring.status).toBe(202);
    const restored = await settled(accepted.body.id, "restored");
    expect(restored.body).toMatchObject({ status: "restored", restoredAt: expect.any(String) });
    expect(await campaignRows(database.db, ids)).toEqual(before);
    expect((await post(restoreRoute, "restore", campaign.id)).status).toBe(409);
  });

  it("refuses to restore a damaged archive: the failure names the file, the archive stays archived, no row comes back", { timeout: 120_000 }, async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "damaged", size: 2 });
    const accepted = await post(archiveRoute, "archive", campaign.id);
    const done = await settled(accepted.body.id, "archived");
    const file = (done.body.manifest as ArchiveManifest).files.find((entry) => entry.table === "messages")!;
    const stored = path.join(dataDir, "files", file.key);
    const bytes = fs.readFileSync(stored);
    bytes[bytes.length - 5]! ^= 0x01;
    fs.writeFileSync(stored, bytes);

    expect((await post(restoreRoute, "restore", campaign.id)).status).toBe(202);
    const refused = await waitFor(() => detail(accepted.body.id), (response) => response.body.status === "archived" && response.body.error !== null, 60_000);
    expect(refused.body.error).toContain(`archive file ${file.key}: sha256`);
    expect(rowCount(await campaignRows(database.db, { workspaceId, campaignId: campaign.id }))).toBe(0);
  });

  it("finishes without loss or duplicates when the engine is killed while writing, while deleting, and while restoring", { timeout: 180_000 }, async () => {
    process.env.ARCHIVE_PART_ROWS = "100";
    try {
      const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "crash", size: 60 });
      const ids = { workspaceId, campaignId: campaign.id };
      const before = await campaignRows(database.db, ids);
      const filesOf = (archiveId: string) => {
        const dir = path.join(dataDir, "files", "archives", workspaceId, archiveId);
        // A write cut off by the kill can leave local storage's in-flight temp file (`.partial-…`,
        // never a stored key; clean-temporary-data sweeps it): only stored files count.
        return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !entry.name.includes(".partial-")).length : 0;
      };

      // Killed after the first files are written: the run resumes from its last step.
      const accepted = await post(archiveRoute, "archive", campaign.id);
      await waitFor(async () => filesOf(accepted.body.id), (n) => n >= 2, 60_000);
      await app.restart(0);
      const done = await settled(accepted.body.id, "archived");
      expect(done.body.status).toBe("archived");
      const manifest = done.body.manifest as ArchiveManifest;
      expect(manifest.tables.engagement_events.files).toBeGreaterThan(1);
      expect(filesOf(accepted.body.id)).toBe(manifest.files.length + 1);
      expect(rowCount(await campaignRows(database.db, ids))).toBe(0);

      // Killed mid-restore: rows already back are not inserted twice.
      await post(restoreRoute, "restore", campaign.id);
      await waitFor(async () => rowCount(await campaignRows(database.db, ids)), (n) => n > 0, 60_000);
      await app.restart(0);
      await settled(accepted.body.id, "restored");
      expect(await campaignRows(database.db, ids)).toEqual(before);

      // Killed once the files are verified, while rows are being deleted.
      await post(archiveRoute, "archive", campaign.id);
      await waitFor(async () => (await archiveOf(campaign.id))?.manifest as ArchiveManifest | null, (value) => Boolean(value?.verifiedAt), 60_000);
      await app.restart(0);
      await settled(accepted.body.id, "archived");
      expect(rowCount(await campaignRows(database.db, ids))).toBe(0);
      await post(restoreRoute, "restore", campaign.id);
      await settled(accepted.body.id, "restored");
      expect(await campaignRows(database.db, ids)).toEqual(before);
    } finally {
      delete process.env.ARCHIVE_PART_ROWS;
    }
  });

  it("answers 404 for another workspace's archive and campaign, and 400 for a bad list query", async () => {
    const other = await createWorkspace(database.db, { name: "Other" });
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "mine", size: 1 });
    const theirs = await callRoute(archiveRoute.POST, { method: "POST", path: `/api/v1/campaigns/${campaign.id}/archive`, apiKey: other.apiKey, params: { id: campaign.id } });
    expect(theirs.status).toBe(404);
    const anyArchive = (await callRoute(archivesRoute.GET, { path: "/api/v1/archives", apiKey })).body.data[0];
    expect((await callRoute(archiveDetail.GET, { path: `/api/v1/archives/${anyArchive.id}`, apiKey: other.apiKey, params: { id: anyArchive.id } })).status).toBe(404);
    const bad = await callRoute(archivesRoute.GET, { path: "/api/v1/archives?status=lost&limit=0", apiKey });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(["status", "limit"]));
  });
});
