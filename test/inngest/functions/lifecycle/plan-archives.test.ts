import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getCampaignArchive } from "@/db/queries/campaign-archives";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { archivableCampaign } from "@/test/support/archivable-campaign";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { sentEvents } from "@/test/inngest/functions/imports/import-harness";

// step.sendEvent really sends: to a recorder standing in for the Inngest server.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { planArchives } = await import("@/inngest/functions/lifecycle/plan-archives");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-archives-"));
process.env.SENDLINE_DATA_DIR = dataDir;
const DAY_MS = 24 * 60 * 60 * 1000;

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Planning" }));
});
afterEach(() => {
  delete process.env.ARCHIVE_CAMPAIGNS_AFTER_DAYS;
});
afterAll(async () => {
  await database?.close();
  await recorder.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the plan; what it handed to step.sendEvent is read from the test engine's spy. */
async function plan() {
  const { result, error, ctx } = await new InngestTestEngine({ function: planArchives }).execute({
    events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 30 2 * * *" } } as never],
  });
  expect(error).toBeUndefined();
  return { result, sent: sentEvents(ctx) };
}

describe("plan-archives", () => {
  it("does nothing while ARCHIVE_CAMPAIGNS_AFTER_DAYS is unset", async () => {
    const { campaign } = await archivableCampaign(database.db, { workspaceId, prefix: "unset", size: 1, endedAt: new Date(Date.now() - 400 * DAY_MS) });
    const { result } = await plan();
    expect(result).toEqual({ skipped: "ARCHIVE_CAMPAIGNS_AFTER_DAYS is not set" });
    expect(await getCampaignArchive(database.db, { workspaceId, campaignId: campaign.id })).toBeUndefined();
    await database.db.execute(sql`delete from campaigns where id = ${campaign.id}::uuid`);
  });

  it("claims finished and cancelled campaigns that ended before the cut-off, never a sending one, and re-sends a stalled archive", async () => {
    process.env.ARCHIVE_CAMPAIGNS_AFTER_DAYS = "90";
    const old = (days: number) => new Date(Date.now() - days * DAY_MS);
    const { campaign: sent } = await archivableCampaign(database.db, { workspaceId, prefix: "sent", size: 1, endedAt: old(120) });
    const { campaign: cancelled } = await archivableCampaign(database.db, { workspaceId, prefix: "cancelled", size: 1, endedAt: old(100) });
    await database.db.execute(sql`update campaigns set status = 'cancelled' where id = ${cancelled.id}::uuid`);
    const { campaign: young } = await archivableCampaign(database.db, { workspaceId, prefix: "young", size: 1, endedAt: old(30) });
    const { campaign: paused } = await archivableCampaign(database.db, { workspaceId, prefix: "paused", size: 1, endedAt: old(200) });
    await database.db.execute(sql`update campaigns set status = 'paused' where id = ${paused.id}::uuid`);

    const first = await plan();
    expect(first.result).toEqual({ requested: 2 });
    const archives = await Promise.all([sent, cancelled].map((campaign) => getCampaignArchive(database.db, { workspaceId, campaignId: campaign.id })));
    expect(archives.map((archive) => [archive?.status, archive?.requestedBy])).toEqual([
      ["archiving", "schedule"],
      ["archiving", "schedule"],
    ]);
    expect(first.sent).toEqual(
      expect.arrayContaining(archives.map((archive) => expect.objectContaining({ name: "lifecycle/archive.requested", data: { workspaceId, archiveId: archive!.id } }))),
    );
    for (const campaign of [young, paused]) expect(await getCampaignArchive(database.db, { workspaceId, campaignId: campaign.id })).toBeUndefined();

    // The next night nothing is due again; an archive whose run never started is asked for once more.
    expect((await plan()).result).toEqual({ requested: 0 });
    await database.db.execute(sql`update campaign_archives set requested_at = ${old(2).toISOString()}::timestamptz where campaign_id = ${sent.id}::uuid`);
    const third = await plan();
    expect(third.result).toEqual({ requested: 1 });
    expect(third.sent).toEqual([expect.objectContaining({ data: { workspaceId, archiveId: archives[0]!.id } })]);
  });
});
