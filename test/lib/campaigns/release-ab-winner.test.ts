import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listPendingChunks, snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { audienceCondition } from "@/db/queries/audience-condition";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { planCampaignSend } from "@/lib/campaigns/plan-campaign-send";
import { pendingChunkEvents } from "@/lib/campaigns/pending-chunk-events";
import { releaseAbWinner } from "@/lib/campaigns/release-ab-winner";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { collectLogLines } from "@/test/support/log-lines";
import { metrics } from "@/lib/observability/metrics";

let database: Database;
let workspaceId: string;
const settings = { ...campaignSettings({}), chunkSize: 2 };
const startedAt = new Date("2026-12-07T09:00:00Z");
const MINUTE = 60_000;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "A/B release" }));
});
afterAll(() => database.close());

const contentTest = { variants: [{ subject: "A" }, { subject: "B" }], testPercent: 40, windowMinutes: 60, metric: "opens" as const };
/** A at 09:00 UTC, B at 12:00 UTC; the winner is picked at 13:00. */
const sendTimeTest = { variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 180 }], testPercent: 40, windowMinutes: 60, metric: "opens" as const };

/** A sending A/B campaign of 10 recipients, planned at `startedAt`: 4 in the test, 6 held for 60 minutes. */
async function planned(prefix: string, abTest: typeof contentTest | typeof sendTimeTest = contentTest) {
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 10, prefix });
  const campaign = await insertCampaign(database.db, {
    workspaceId,
    name: prefix,
    channel: "email",
    templateId,
    audience: { listId },
    status: "sending",
    startedAt,
    abTest,
  });
  const audience = await audienceCondition(database.db, campaign);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(database.db, { campaignId: campaign.id, audience, pageSize: 100, chunkSize: settings.chunkSize });
  const plan = await planCampaignSend(database.db, settings, campaign, startedAt);
  return { campaign, plan };
}

describe("planCampaignSend for an A/B campaign", () => {
  it("hands back only the test sample's chunks, and the winner's pick at the window's end", async () => {
    const { campaign, plan } = await planned("plan");
    expect(plan).toMatchObject({ ok: true, chunks: [0, 1], audience: 10 });
    expect(plan.ok && plan.abWinnerDue).toEqual({
      kind: "ab-winner-due",
      id: `campaign-ab-${campaign.id}-${startedAt.getTime()}`,
      data: { workspaceId, campaignId: campaign.id, decideAt: new Date(startedAt.getTime() + 60 * MINUTE).toISOString() },
    });
    expect(plan.ok && plan.laterReleases).toEqual([]);
  });

  it("in a send-time test hands back the first variant's chunk, a release run for the later one, and the pick the window after the last", async () => {
    const { campaign, plan } = await planned("plan-send-time", sendTimeTest);
    const at = (minutes: number) => new Date(startedAt.getTime() + minutes * MINUTE).toISOString();
    expect(plan).toMatchObject({ ok: true, chunks: [0], audience: 10 });
    expect(plan.ok && plan.laterReleases).toEqual([
      { kind: "release-scheduled", id: `campaign-release-${campaign.id}-${startedAt.getTime()}-${Date.parse(at(180))}`, data: { workspaceId, campaignId: campaign.id, releaseAt: at(180) } },
    ]);
    expect(plan.ok && plan.abWinnerDue?.data.decideAt).toBe(at(240));
  });
});

describe("releaseAbWinner", () => {
  it("at the window's end records the winner and emits the held chunks; a repeat emits nothing and keeps the winner", async () => {
    const { campaign } = await planned("window");
    const ids = { workspaceId, campaignId: campaign.id };
    const end = new Date(startedAt.getTime() + 61 * MINUTE);
    const winners = async () => (await metrics().abWinners.get()).values.find((v) => v.labels.decided_by === "window" && v.labels.significant === "no")?.value ?? 0;
    const before = await winners();
    const logs = collectLogLines();
    const first = await releaseAbWinner(database.db, ids, "window", end);
    expect(first).toMatchObject({ ok: true, winner: 0, recordedNow: true });
    expect(first.ok && first.events.map((event) => event.kind === "chunk-ready" && event.data.chunk)).toEqual([2, 3, 4]);
    expect(await releaseAbWinner(database.db, ids, "window", end)).toEqual({ ok: true, winner: 0, recordedNow: false, events: [], restAt: null });
    // One JSON log line and one count for the one pick, none for the repeat.
    logs.stop();
    expect(logs.lines().filter((line) => line.msg === "campaigns: A/B test winner picked")).toEqual([
      expect.objectContaining({ campaignId: campaign.id, metric: "opens", winner: "A", decidedBy: "window", pValue: 1, variants: [expect.objectContaining({ variant: "A", sent: 0 }), expect.objectContaining({ variant: "B", sent: 0 })] }),
    ]);
    expect((await winners()) - before).toBe(1);
    expect(await getCampaign(database.db, ids)).toMatchObject({ abWinner: 0, abDecidedBy: "window", abResult: { pValue: 1, variants: [{ sent: 0 }, { sent: 0 }] } });
  });

  it("by hand before the window ends releases the held chunks now; a second pick is refused", async () => {
    const { campaign } = await planned("manual");
    const ids = { workspaceId, campaignId: campaign.id };
    const early = new Date(startedAt.getTime() + 10 * MINUTE);
    const picked = await releaseAbWinner(database.db, ids, "manual", early);
    expect(picked.ok && picked.events).toHaveLength(3);
    expect(await releaseAbWinner(database.db, ids, "manual", early)).toEqual({ ok: false, reason: "already decided" });
    // The window's own run later finds the winner recorded and nothing left to emit.
    expect(await releaseAbWinner(database.db, ids, "window", new Date(startedAt.getTime() + 61 * MINUTE))).toMatchObject({ ok: true, recordedNow: false, events: [] });
    expect(await getCampaign(database.db, ids)).toMatchObject({ abDecidedBy: "manual", abDecidedAt: early });
  });

  it("in a send-time test sends the rest at the winner's time of day: the pick moves them there and asks for their release run", async () => {
    const { campaign } = await planned("rest-at", sendTimeTest);
    const ids = { workspaceId, campaignId: campaign.id };
    // B's release run at 12:00 emits B's chunk, and only it.
    const noon = new Date(startedAt.getTime() + 180 * MINUTE);
    expect((await pendingChunkEvents(database.db, campaign, noon, { releasedAt: noon, now: noon })).map((event) => event.data.chunk)).toEqual([1]);
    const decided = new Date(startedAt.getTime() + 241 * MINUTE); // 13:01 UTC
    // Nobody opened: A wins the tie, so the rest go at A's 09:00 — tomorrow's, in the workspace's zone (UTC).
    const restAt = new Date("2026-12-08T09:00:00Z");
    const first = await releaseAbWinner(database.db, ids, "window", decided);
    expect(first).toEqual({
      ok: true,
      winner: 0,
      recordedNow: true,
      restAt,
      events: [{ kind: "release-scheduled", id: `campaign-release-${campaign.id}-${startedAt.getTime()}-${restAt.getTime()}`, data: { ...ids, releaseAt: restAt.toISOString() } }],
    });
    // A repeat asks for the same run (the same id), and the rest are not due before their time.
    expect(await releaseAbWinner(database.db, ids, "window", new Date(decided.getTime() + MINUTE))).toEqual({ ...first, recordedNow: false });
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: new Date(restAt.getTime() - 1) })).toEqual([0, 1]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: restAt, releasedAt: restAt })).toEqual([2, 3, 4]);
  });

  it("in a send-time test refuses a pick by hand before every variant was sent", async () => {
    const { campaign } = await planned("too-early", sendTimeTest);
    const ids = { workspaceId, campaignId: campaign.id };
    expect(await releaseAbWinner(database.db, ids, "manual", new Date(startedAt.getTime() + 179 * MINUTE))).toEqual({ ok: false, reason: "variants still to send" });
    const picked = await releaseAbWinner(database.db, ids, "manual", new Date(startedAt.getTime() + 200 * MINUTE));
    expect(picked).toMatchObject({ ok: true, recordedNow: true, restAt: new Date("2026-12-08T09:00:00Z") });
  });

  it("does nothing for a campaign with no test or not started", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 1, prefix: "plain" });
    const plain = await insertCampaign(database.db, { workspaceId, name: "plain", channel: "email", templateId, audience: { listId } });
    expect(await releaseAbWinner(database.db, { workspaceId, campaignId: plain.id }, "manual")).toEqual({ ok: false, reason: "no test" });
    const draft = await insertCampaign(database.db, { workspaceId, name: "draft", channel: "email", templateId, audience: { listId }, abTest: { variants: [{ subject: "A" }, { subject: "B" }], testPercent: 20, windowMinutes: 60, metric: "clicks" } });
    expect(await releaseAbWinner(database.db, { workspaceId, campaignId: draft.id }, "manual")).toEqual({ ok: false, reason: "not started" });
  });
});
