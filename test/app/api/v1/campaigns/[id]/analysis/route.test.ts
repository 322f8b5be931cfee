import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/v1/campaigns/[id]/analysis/route";
import { GET as listAlerts } from "@/app/api/v1/alerts/route";
import type { Database } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { analyzeFinishedCampaign } from "@/lib/analytics/analyze-finished-campaign";
import { campaignAnalysisResponse } from "@/lib/analytics/campaign-analysis-view";
import { guardCampaign } from "@/lib/analytics/guard-campaign";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { alertsResponse } from "@/lib/analytics/workspace-alert-view";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { createProviders } from "@/lib/providers/create-providers";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

const settings = { ...campaignSettings({}), chunkSize: 10, emailBatchSize: 10, emailRequestsPerSecond: 1_000 };
let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let campaignId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "analysis-secret-analysis-secret-analysis");
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 20, prefix: "an" });
  campaignId = campaign.id;
  await deliverChunk(database.db, createProviders(database.db, {}), settings, { workspaceId, campaignId, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
  const ids = rowsOf<{ id: string }>(await database.db.execute(sql`select id from messages where campaign_id = ${campaignId}::uuid`)).map((row) => row.id);
  await recordEngagement(database.db, [
    ...ids.map((messageId) => ({ messageId, type: "sent" as const, source: "send" as const, occurredAt: new Date(), dedupeKey: `sent:${messageId}` })),
    { messageId: ids[0]!, type: "complained", source: "resend", occurredAt: new Date(), dedupeKey: `complained:${ids[0]}` },
  ]);
  await guardCampaign(database.db, { workspaceId, campaignId }, { complaintRate: 0.003, hardBounceRate: 0.05, minSample: 10 }, { actor: "test" });
  await analyzeFinishedCampaign(database.db, { workspaceId, campaignId }, "finished");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const analysis = (key = apiKey, id = campaignId) => callRoute(GET, { path: `/api/v1/campaigns/${id}/analysis`, apiKey: key, params: { id } });
const alerts = (query = "", key = apiKey) => callRoute(listAlerts, { path: `/api/v1/alerts${query}`, apiKey: key });

describe("GET /api/v1/campaigns/:id/analysis", () => {
  it("answers the stored analysis with every rate, its counts and intervals, and the guard's pauses", async () => {
    const response = await analysis();
    expect(response.status).toBe(200);
    expect(campaignAnalysisResponse.parse(response.body)).toEqual(response.body);
    const [phase] = response.body.analyses;
    expect(phase).toMatchObject({ phase: "finished", totals: { sent: 10, complained: 1 }, baseline: { campaignIds: [] } });
    expect(phase.summary).toMatch(/^No baseline yet/);
    expect(phase.rates.find((rate: { rate: string }) => rate.rate === "complaint")).toMatchObject({ campaign: { successes: 1, trials: 10, value: 0.1 }, verdict: "no_baseline" });
    expect(response.body.guardPauses).toEqual([{ id: expect.any(String), trippedAt: expect.any(String), readings: [expect.objectContaining({ reason: "complaint_rate", count: 1, of: 10 })], acknowledgedAt: null }]);
  });

  it("answers 404 for another workspace's campaign, an unknown id or a malformed one", async () => {
    expect((await analysis(otherKey)).status).toBe(404);
    expect((await analysis(apiKey, randomUUID())).status).toBe(404);
    expect((await analysis(apiKey, "nope")).status).toBe(404);
  });
});

describe("GET /api/v1/alerts", () => {
  it("lists the workspace's open alerts, and only its own", async () => {
    const response = await alerts();
    expect(response.status).toBe(200);
    expect(alertsResponse.parse(response.body)).toEqual(response.body);
    expect(response.body.data).toEqual([expect.objectContaining({ kind: "campaign_guard", severity: "critical", targetType: "campaign", targetId: campaignId, resolvedAt: null })]);
    expect((await alerts("", otherKey)).body.data).toEqual([]);
  });

  it("answers 400 with the field for a bad query", async () => {
    const response = await alerts("?includeResolved=maybe&limit=0");
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields).sort()).toEqual(["includeResolved", "limit"]);
  });
});
