import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { domainTable, topLinks } from "@/db/queries/analytics-tables";
import { campaignSeries, campaignSpan, seriesTotals, workspaceSeries } from "@/db/queries/analytics-series";
import { engagementHeatMap } from "@/db/queries/engagement-heat-map";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { engagementFact as fact, seedEngagement, seedMessage } from "@/test/support/engagement-seed";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
const campaignId = randomUUID();

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Analytics" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
  const db = database.db;
  const [a, b, c] = [
    await seedMessage(db, { workspaceId, campaignId, email: `a-${randomUUID()}@gmail.com` }),
    await seedMessage(db, { workspaceId, campaignId, email: `b-${randomUUID()}@gmail.com` }),
    await seedMessage(db, { workspaceId, campaignId, email: `c-${randomUUID()}@yahoo.com` }),
  ];
  const transactional = await seedMessage(db, { workspaceId, campaignId: null, email: `t-${randomUUID()}@gmail.com` });
  // Sent at 22:30 UTC on Tuesday 1 December: 23:30 in Paris, still the 1st; 07:30 on the 2nd in Tokyo.
  await seedEngagement(db, [
    ...[a, b, c].map((message) => fact(message.id, "sent", "2026-12-01T22:30:00Z")),
    fact(a.id, "delivered", "2026-12-01T22:31:00Z"),
    fact(b.id, "delivered", "2026-12-01T22:31:00Z"),
    fact(c.id, "bounced", "2026-12-01T22:31:00Z", { bounceKind: "hard" }),
    fact(a.id, "opened", "2026-12-01T22:31:02Z", { machine: "apple-privacy-proxy" }),
    fact(a.id, "opened", "2026-12-02T08:15:00Z"),
    fact(a.id, "opened", "2026-12-02T08:45:00Z"),
    fact(a.id, "clicked", "2026-12-02T08:46:00Z", { url: "https://shop.example.com/sale" }),
    fact(b.id, "clicked", "2026-12-02T09:10:00Z", { url: "https://shop.example.com/sale", machine: "security-scanner" }),
    fact(b.id, "clicked", "2026-12-03T18:00:00Z", { url: "https://shop.example.com/about" }),
    fact(transactional.id, "sent", "2026-12-02T12:00:00Z"),
    fact(transactional.id, "clicked", "2026-12-02T12:05:00Z", { url: "https://shop.example.com/receipt" }),
  ]);
  // Another workspace's engagement never shows in this one's figures.
  const foreign = await seedMessage(db, { workspaceId: otherWorkspaceId, campaignId: randomUUID(), email: `x-${randomUUID()}@gmail.com` });
  await seedEngagement(db, [fact(foreign.id, "sent", "2026-12-01T22:30:00Z"), fact(foreign.id, "clicked", "2026-12-02T08:00:00Z", { url: "https://elsewhere.example/" })]);
});
afterAll(async () => database?.close());

describe("campaignSeries", () => {
  it("answers every hour of the range, zeros included, from the UTC hours", async () => {
    const points = await campaignSeries(database.db, {
      workspaceId,
      campaignId,
      from: new Date("2026-12-01T22:00:00Z"),
      to: new Date("2026-12-02T10:00:00Z"),
      bucket: "hour",
      timeZone: "UTC",
    });
    expect(points).toHaveLength(12);
    expect(points[0]!.start).toEqual(new Date("2026-12-01T22:00:00Z"));
    expect(points[0]!.totals).toMatchObject({ sent: 3, delivered: 2, bounced: 1, hardBounced: 1, machineOpened: 1, opened: 0 });
    expect(points[10]!.start).toEqual(new Date("2026-12-02T08:00:00Z"));
    expect(points[10]!.totals).toMatchObject({ opened: 2, uniqueOpened: 1, clicked: 1, uniqueClicked: 1 });
    expect(points[11]!.totals).toMatchObject({ clicked: 0, machineClicked: 1 });
    expect(points.slice(1, 10).every((point) => point.totals.sent + point.totals.opened === 0)).toBe(true);
  });

  it.each([
    // Local days: the 22:30 UTC send is the 1st in Paris and the 2nd in Tokyo.
    ["Europe/Paris", ["2026-11-30T23:00:00.000Z", "2026-12-01T23:00:00.000Z", "2026-12-02T23:00:00.000Z"], [3, 0, 0], [0, 1, 1]],
    ["Asia/Tokyo", ["2026-11-30T15:00:00.000Z", "2026-12-01T15:00:00.000Z", "2026-12-02T15:00:00.000Z", "2026-12-03T15:00:00.000Z"], [0, 3, 0, 0], [0, 1, 0, 1]],
  ])("sums hours into local days of %s", async (timeZone, starts, sent, uniqueClicked) => {
    const points = await campaignSeries(database.db, {
      workspaceId,
      campaignId,
      from: new Date(starts[0]!),
      to: new Date(new Date(starts.at(-1)!).getTime() + 86_400_000),
      bucket: "day",
      timeZone,
    });
    expect(points.map((point) => point.start.toISOString())).toEqual(starts);
    expect(points.map((point) => point.totals.sent)).toEqual(sent);
    expect(points.map((point) => point.totals.uniqueClicked)).toEqual(uniqueClicked);
  });

  it("makes a day with a daylight saving change 25 hours long", async () => {
    const points = await campaignSeries(database.db, {
      workspaceId,
      campaignId,
      from: new Date("2026-10-24T22:00:00Z"),
      to: new Date("2026-10-26T23:00:00Z"),
      bucket: "day",
      timeZone: "Europe/Paris",
    });
    expect(points.map((point) => point.start.toISOString())).toEqual(["2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z"]);
  });

  it("knows the campaign's span, and none for another workspace", async () => {
    expect(await campaignSpan(database.db, { workspaceId, campaignId })).toEqual({ first: new Date("2026-12-01T22:00:00Z"), last: new Date("2026-12-03T18:00:00Z") });
    expect(await campaignSpan(database.db, { workspaceId, campaignId: randomUUID() })).toBeNull();
  });
});

describe("workspaceSeries", () => {
  it("answers every UTC day, all channels, campaigns and transactional together", async () => {
    const points = await workspaceSeries(database.db, { workspaceId, fromDay: "2026-11-30", toDay: "2026-12-03", channel: null });
    expect(points.map((point) => point.start.toISOString().slice(0, 10))).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"]);
    expect(points.map((point) => point.totals.sent)).toEqual([0, 3, 1, 0]);
    expect(seriesTotals(points)).toMatchObject({ sent: 4, delivered: 2, uniqueOpened: 3, uniqueClicked: 3, machineClicked: 1, machineOpened: 1, bounced: 1 });
  });

  it("filters by channel", async () => {
    const points = await workspaceSeries(database.db, { workspaceId, fromDay: "2026-12-01", toDay: "2026-12-03", channel: "sms" });
    expect(seriesTotals(points).sent).toBe(0);
  });
});

describe("topLinks and domainTable", () => {
  it("ranks a campaign's links by unique human clicks, machine clicks apart", async () => {
    expect(await topLinks(database.db, { workspaceId, campaignId, limit: 10 })).toEqual([
      { url: "https://shop.example.com/about", clicked: 1, uniqueClicked: 1, machineClicked: 0, lastClickedAt: new Date("2026-12-03T18:00:00Z") },
      { url: "https://shop.example.com/sale", clicked: 1, uniqueClicked: 1, machineClicked: 1, lastClickedAt: new Date("2026-12-02T08:46:00Z") },
    ]);
  });

  it("adds transactional links for the workspace, and never another workspace's", async () => {
    const links = await topLinks(database.db, { workspaceId, campaignId: null, limit: 10 });
    expect(links.map((link) => link.url).sort()).toEqual(["https://shop.example.com/about", "https://shop.example.com/receipt", "https://shop.example.com/sale"]);
    expect(await topLinks(database.db, { workspaceId, campaignId: null, limit: 1 })).toHaveLength(1);
  });

  it("reads deliverability by recipient domain", async () => {
    const domains = await domainTable(database.db, { workspaceId, campaignId, limit: 10 });
    expect(domains.map((row) => [row.domain, row.totals.sent, row.totals.delivered, row.totals.bounced, row.totals.uniqueClicked])).toEqual([
      ["gmail.com", 2, 2, 0, 2],
      ["yahoo.com", 1, 0, 1, 0],
    ]);
    const all = await domainTable(database.db, { workspaceId, campaignId: null, limit: 10 });
    expect(all.find((row) => row.domain === "gmail.com")!.totals.sent).toBe(3);
  });
});

describe("engagementHeatMap", () => {
  const window = { since: new Date("2026-11-01T00:00:00Z"), until: new Date("2026-12-31T00:00:00Z") };

  it("counts human opens and clicks per local day of week and hour, machines apart", async () => {
    const map = await engagementHeatMap(database.db, { workspaceId, campaignId: null, ...window, timeZone: "Europe/Paris" });
    // Wednesday 2 December 08:15/08:45/08:46 UTC is 09:xx in Paris; the 12:05 receipt click is 13:05; Thursday 18:00 UTC is 19:00.
    expect(map.cells).toEqual([
      { dayOfWeek: 3, hour: 9, opens: 2, clicks: 1 },
      { dayOfWeek: 3, hour: 13, opens: 0, clicks: 1 },
      { dayOfWeek: 4, hour: 19, opens: 0, clicks: 1 },
    ]);
    expect(map).toMatchObject({ machineOpens: 1, machineClicks: 1 });
  });

  it("reads one campaign in another zone, and nothing outside the window", async () => {
    const map = await engagementHeatMap(database.db, { workspaceId, campaignId, ...window, timeZone: "America/New_York" });
    expect(map.cells).toEqual([
      { dayOfWeek: 3, hour: 3, opens: 2, clicks: 1 },
      { dayOfWeek: 4, hour: 13, opens: 0, clicks: 1 },
    ]);
    const empty = await engagementHeatMap(database.db, { workspaceId, campaignId, since: new Date("2026-12-04T00:00:00Z"), until: new Date("2026-12-05T00:00:00Z"), timeZone: "UTC" });
    expect(empty).toEqual({ cells: [], machineOpens: 0, machineClicks: 0 });
  });
});
