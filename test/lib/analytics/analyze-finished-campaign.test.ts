import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listCampaignAnalyses } from "@/db/queries/campaign-analyses";
import { insertCampaign } from "@/db/queries/campaigns";
import { rowsOf } from "@/db/queries/rows-of";
import { analyzeFinishedCampaign } from "@/lib/analytics/analyze-finished-campaign";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

const DAY_MS = 24 * 60 * 60 * 1000;
let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
let templateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Analysed" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Elsewhere" }));
  ({ templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 0, prefix: "analysis" }));
});
afterAll(async () => database?.close());

/** A finished campaign of `sent` messages, `complained` of which complained, counted through the one writer. */
async function finishedCampaign(params: { sent: number; complained: number; finishedAt: Date; channel?: "email" | "sms"; workspace?: string }) {
  const workspace = params.workspace ?? workspaceId;
  const templateOf = workspace === workspaceId ? templateId : (await seedCampaignAudience(database.db, { workspaceId: workspace, size: 0, prefix: randomUUID() })).templateId;
  const campaign = await insertCampaign(database.db, {
    workspaceId: workspace,
    name: `c-${params.sent}-${params.complained}`,
    channel: params.channel ?? "email",
    templateId: templateOf,
    audience: { listId: randomUUID() },
    status: "sent",
    finishedAt: params.finishedAt,
  });
  const ids = rowsOf<{ id: string }>(
    await database.db.execute(sql`
      insert into messages (workspace_id, idempotency_key, kind, campaign_id, channel, recipient, status, sent_at)
      select ${workspace}::uuid, ${campaign.id} || ':' || i, 'campaign', ${campaign.id}::uuid, ${params.channel ?? "email"}, 'r' || i || '@example.com', 'sent', now()
      from generate_series(1, ${params.sent}) as i returning id`),
  ).map((row) => row.id);
  await recordFacts(ids, "sent");
  await recordFacts(ids.slice(0, params.complained), "complained");
  return { campaign, messageIds: ids };
}
const recordFacts = (messageIds: string[], type: "sent" | "complained") =>
  recordEngagement(
    database.db,
    messageIds.map((messageId): EngagementFact => ({ messageId, type, source: type === "sent" ? "send" : "resend", occurredAt: new Date(), dedupeKey: `${type}:${messageId}` })),
  );

describe("analyzeFinishedCampaign", () => {
  it("compares with the workspace's last finished campaigns of the channel within 90 days, stores each phase, and flags a complaint spike", async () => {
    const now = Date.now();
    const baseline = [];
    for (let i = 1; i <= 3; i++) baseline.push((await finishedCampaign({ sent: 50, complained: 0, finishedAt: new Date(now - i * DAY_MS) })).campaign.id);
    // Not in the baseline: too old, another channel, another workspace, and one that finished after the campaign.
    await finishedCampaign({ sent: 50, complained: 25, finishedAt: new Date(now - 100 * DAY_MS) });
    await finishedCampaign({ sent: 50, complained: 25, finishedAt: new Date(now - DAY_MS), channel: "sms" });
    await finishedCampaign({ sent: 50, complained: 25, finishedAt: new Date(now - DAY_MS), workspace: otherWorkspaceId });
    const { campaign, messageIds } = await finishedCampaign({ sent: 120, complained: 6, finishedAt: new Date(now - 60_000) });
    await finishedCampaign({ sent: 50, complained: 25, finishedAt: new Date(now) });
    const ids = { workspaceId, campaignId: campaign.id };

    expect(await analyzeFinishedCampaign(database.db, ids, "finished")).toEqual({ analysisId: expect.any(String), phase: "finished", baselineCampaigns: 3, anomalies: 1 });
    const [stored] = await listCampaignAnalyses(database.db, ids);
    expect(new Set(stored!.baselineCampaignIds)).toEqual(new Set(baseline));
    expect(stored!.baselineTotals).toMatchObject({ sent: 150, complained: 0 });
    expect(stored!.totals).toMatchObject({ sent: 120, complained: 6 });
    expect(stored!.analysis.anomalies).toEqual([{ rate: "complaint", verdict: "worse" }]);
    expect(stored!.analysis.summary).toBe("Compared with the last 3 campaigns: worse than the baseline on complaint rate.");

    // Late complaints, then the settled run: a second row, the first one kept.
    await recordFacts(messageIds.slice(6, 10), "complained");
    expect(await analyzeFinishedCampaign(database.db, ids, "settled")).toMatchObject({ phase: "settled", anomalies: 1 });
    expect(await analyzeFinishedCampaign(database.db, ids, "settled")).toMatchObject({ phase: "settled" });
    const analyses = await listCampaignAnalyses(database.db, ids);
    expect(analyses.map((a) => [a.phase, a.totals.complained])).toEqual([
      ["settled", 10],
      ["finished", 6],
    ]);
  });

  it("answers null for a campaign of another workspace", async () => {
    const { campaign } = await finishedCampaign({ sent: 1, complained: 0, finishedAt: new Date() });
    expect(await analyzeFinishedCampaign(database.db, { workspaceId: otherWorkspaceId, campaignId: campaign.id }, "finished")).toBeNull();
    expect(await listCampaignAnalyses(database.db, { workspaceId: otherWorkspaceId, campaignId: campaign.id })).toEqual([]);
  });
});
