import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertCampaign } from "@/db/queries/campaigns";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { metrics } from "@/lib/observability/metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { engagementFact as fact, seedEngagement, seedMessage } from "@/test/support/engagement-seed";

const overview = await import("@/app/api/v1/analytics/route");
const overviewExport = await import("@/app/api/v1/analytics/export/route");
const campaignRoute = await import("@/app/api/v1/campaigns/[id]/analytics/route");
const campaignExport = await import("@/app/api/v1/campaigns/[id]/analytics/export/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let campaignId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const db = database.db;
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(db, { name: "Analytics API" }));
  ({ apiKey: otherKey } = await createWorkspace(db, { name: "Other" }));
  await saveDeliverySettings(db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "Europe/Paris" });
  const { listId, templateId } = await seedCampaignAudience(db, { workspaceId, size: 0, prefix: "api" });
  const campaign = (await insertCampaign(db, { workspaceId, name: "December sale", channel: "email", templateId, audience: { listId }, status: "sent" }))!;
  campaignId = campaign.id;
  const [a, b] = [await seedMessage(db, { workspaceId, campaignId, email: "a@gmail.com" }), await seedMessage(db, { workspaceId, campaignId, email: "b@outlook.com" })];
  await seedEngagement(db, [
    fact(a.id, "sent", "2026-12-01T09:00:00Z"),
    fact(b.id, "sent", "2026-12-01T09:00:00Z"),
    fact(a.id, "delivered", "2026-12-01T09:00:05Z"),
    fact(b.id, "delivered", "2026-12-01T09:00:05Z"),
    fact(a.id, "opened", "2026-12-01T09:00:06Z", { machine: "apple-privacy-proxy" }),
    fact(a.id, "opened", "2026-12-01T10:30:00Z"),
    fact(a.id, "clicked", "2026-12-01T10:31:00Z", { url: "=HYPERLINK(\"https://evil.example\")" }),
    fact(b.id, "complained", "2026-12-01T12:00:00Z"),
  ]);
});
afterAll(async () => database?.close());

describe("GET /api/v1/campaigns/{id}/analytics", () => {
  const get = (query = "", key = apiKey, id = campaignId) => callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}/analytics${query}`, apiKey: key, params: { id } });

  it("answers the funnel with every rate's numerator and denominator, machines apart, and an hourly series in the workspace's zone", async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body.funnel.steps).toEqual([
      { step: "sent", count: 2 },
      { step: "delivered", count: 2 },
      { step: "opened", count: 1 },
      { step: "clicked", count: 1 },
    ]);
    expect(body.funnel.rates.openRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(body.funnel.rates.clickToOpenRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
    expect(body.funnel.rates.complaintRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(body.funnel.rates.bounceRate).toEqual({ numerator: 0, denominator: 2, value: 0 });
    expect(body.funnel.machine).toEqual({ opened: 1, clicked: 0 });
    expect(body.series.bucket).toBe("hour");
    expect(body.series.timeZone).toBe("Europe/Paris");
    expect(body.series.points.map((point: { start: string; uniqueOpened: number }) => [point.start, point.uniqueOpened])).toEqual([
      ["2026-12-01T09:00:00.000Z", 0],
      ["2026-12-01T10:00:00.000Z", 1],
      ["2026-12-01T11:00:00.000Z", 0],
      ["2026-12-01T12:00:00.000Z", 0],
    ]);
    expect(body.links).toEqual([{ url: '=HYPERLINK("https://evil.example")', clicked: 1, uniqueClicked: 1, machineClicked: 0, lastClickedAt: "2026-12-01T10:31:00.000Z" }]);
    expect(body.domains.map((row: { domain: string; sent: number }) => [row.domain, row.sent])).toEqual([
      ["gmail.com", 1],
      ["outlook.com", 1],
    ]);
    // 10:30 UTC is 11:30 in Paris, a Tuesday.
    expect(body.heatMap.cells).toEqual([{ dayOfWeek: 2, hour: 11, opens: 1, clicks: 1 }]);
    expect(body.heatMap.machineOpens).toBe(1);
  });

  it("keeps hour buckets on the stored UTC hours in a zone with a half-hour offset", async () => {
    const { body } = await get("?from=2026-12-01&to=2026-12-01&tz=Asia/Kolkata&bucket=hour");
    // The local day runs 18:30 → 18:30 UTC: the UTC hours that touch it, both edge hours included.
    expect(body.series.points).toHaveLength(25);
    expect(body.series.points[0].start).toBe("2026-11-30T18:00:00.000Z");
    expect(body.series.points.find((point: { start: string }) => point.start === "2026-12-01T10:00:00.000Z").uniqueOpened).toBe(1);
  });

  it("sums days in a requested zone", async () => {
    const { status, body } = await get("?from=2026-11-30&to=2026-12-02&tz=America/Los_Angeles");
    expect(status).toBe(200);
    expect(body.series.bucket).toBe("day");
    expect(body.series.points.map((point: { start: string; sent: number }) => [point.start, point.sent])).toEqual([
      ["2026-11-30T08:00:00.000Z", 0],
      ["2026-12-01T08:00:00.000Z", 2],
      ["2026-12-02T08:00:00.000Z", 0],
    ]);
  });

  it("answers 404 for another workspace's campaign, an unknown one and a malformed id", async () => {
    expect((await get("", otherKey)).status).toBe(404);
    expect((await get("", apiKey, randomUUID())).status).toBe(404);
    expect((await get("", apiKey, "nope")).status).toBe(404);
    expect((await get("", "")).status).toBe(401);
  });

  it.each([
    ["?tz=Mars/Olympus", "tz"],
    ["?from=2026-02-30", "from"],
    ["?from=2026-12-02&to=2026-12-01", "to"],
    ["?from=2025-01-01&to=2026-12-01", "to"],
    ["?from=2026-10-01&to=2026-12-01&bucket=hour", "bucket"],
    ["?bucket=week", "bucket"],
    ["?colour=blue", "colour"],
  ])("answers 400 naming the field for %s", async (query, field) => {
    const { status, body } = await get(query);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain(field);
  });

  // (Response.text() drops the UTF-8 BOM the file starts with.)
  it("exports a table as formula-safe CSV", async () => {
    const links = await callRoute(campaignExport.GET, { path: `/api/v1/campaigns/${campaignId}/analytics/export?table=links`, apiKey, params: { id: campaignId } });
    expect(links.status).toBe(200);
    expect(links.response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(links.body).toBe(`url,clicked,unique_clicked,machine_clicked,last_clicked_at\r\n"'=HYPERLINK(""https://evil.example"")",1,1,0,2026-12-01T10:31:00.000Z\r\n`);
    const series = await callRoute(campaignExport.GET, { path: `/api/v1/campaigns/${campaignId}/analytics/export?table=series`, apiKey, params: { id: campaignId } });
    expect(series.body.split("\r\n")[0]).toBe(
      "start,sent,delivered,opened,unique_opened,machine_opened,clicked,unique_clicked,machine_clicked,bounced,hard_bounced,complained,unsubscribed",
    );
    expect(series.body.split("\r\n")[1]).toBe("2026-12-01T09:00:00.000Z,2,2,0,0,1,0,0,0,0,0,0,0");
    expect((await callRoute(campaignExport.GET, { path: `/api/v1/campaigns/${campaignId}/analytics/export?table=links`, apiKey: otherKey, params: { id: campaignId } })).status).toBe(404);
    expect((await callRoute(campaignExport.GET, { path: `/api/v1/campaigns/${campaignId}/analytics/export?table=everything`, apiKey, params: { id: campaignId } })).status).toBe(400);
  });
});

describe("GET /api/v1/analytics", () => {
  it("answers the workspace's days, funnel, domains, links and heat map for a range", async () => {
    const { status, body } = await callRoute(overview.GET, { path: "/api/v1/analytics?from=2026-11-30&to=2026-12-02", apiKey });
    expect(status).toBe(200);
    expect(body.range).toEqual({ from: "2026-11-30", to: "2026-12-02", timeZone: "Europe/Paris", channel: null });
    expect(body.series.points.map((point: { sent: number }) => point.sent)).toEqual([0, 2, 0]);
    expect(body.funnel.rates.clickRate).toEqual({ numerator: 1, denominator: 2, value: 0.5 });
    expect(body.heatMap.cells).toEqual([{ dayOfWeek: 2, hour: 11, opens: 1, clicks: 1 }]);
  });

  it("shows nothing of another workspace, and empty ranges without NaN", async () => {
    const { status, body } = await callRoute(overview.GET, { path: "/api/v1/analytics", apiKey: otherKey });
    expect(status).toBe(200);
    expect(body.series.points).toHaveLength(30);
    expect(body.funnel.rates.openRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(body.domains).toEqual([]);
    expect(body.links).toEqual([]);
    expect(body.heatMap.cells).toEqual([]);
  });

  it("filters by channel and rejects unknown ones", async () => {
    const sms = await callRoute(overview.GET, { path: "/api/v1/analytics?from=2026-12-01&to=2026-12-01&channel=sms", apiKey });
    expect(sms.body.totals.sent).toBe(0);
    expect((await callRoute(overview.GET, { path: "/api/v1/analytics?channel=fax", apiKey })).status).toBe(400);
  });

  it("times every read in sendline_analytics_read_seconds, by view", async () => {
    const scrape = await metrics().registry.metrics();
    expect(scrape).toMatch(/sendline_analytics_read_seconds_count\{view="workspace"\} [1-9]/);
    expect(scrape).toMatch(/sendline_analytics_read_seconds_count\{view="campaign"\} [1-9]/);
  });

  it("exports the heat map as CSV", async () => {
    const { status, body } = await callRoute(overviewExport.GET, { path: "/api/v1/analytics/export?table=heatmap&from=2026-12-01&to=2026-12-01", apiKey });
    expect(status).toBe(200);
    expect(body).toBe("day_of_week,hour,opens,clicks\r\n2,11,1,1\r\n");
  });
});
