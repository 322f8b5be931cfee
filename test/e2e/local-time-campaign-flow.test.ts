import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { rowsOf } from "@/db/queries/rows-of";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * "Deliver at 09:00 in each recipient's time zone", end to end through the local engine with the
 * clock under the test's control (the app and the engine read the same faked Date, timers stay
 * real): each zone's recipients get the campaign at 09:00 their time — none before, none twice,
 * through an engine restart and a pause — and each zone costs one release run plus its chunks.
 */
const MINUTE = 60_000;
let app: Awaited<ReturnType<typeof startAppEngine>>;
let resend: FakeResend;
let database: Database;
let apiKey: string;
let workspaceId: string;
let clock: ReturnType<typeof useTestClock>;
let campaignsRoute: typeof import("@/app/api/v1/campaigns/route");
let campaignRoute: typeof import("@/app/api/v1/campaigns/[id]/route");
let actionRoute: typeof import("@/app/api/v1/campaigns/[id]/[action]/route");

beforeAll(async () => {
  // At the real time: PostgreSQL's now() never runs behind the app's clock.
  clock = useTestClock(Date.now());
  database = await useTestDatabase();
  resend = await startFakeResend();
  Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url, CAMPAIGN_CHUNK_SIZE: "100" });
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Local time" }));
  app = await startAppEngine({ persistent: true });
  campaignsRoute = await import("@/app/api/v1/campaigns/route");
  campaignRoute = await import("@/app/api/v1/campaigns/[id]/route");
  actionRoute = await import("@/app/api/v1/campaigns/[id]/[action]/route");
});
afterAll(async () => {
  await app?.stop();
  await resend?.stop();
  await database?.close();
  for (const name of ["RESEND_API_KEY", "RESEND_BASE_URL", "CAMPAIGN_CHUNK_SIZE"]) delete process.env[name];
});

const read = (id: string) => callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } });
const act = (id: string, action: string, body?: unknown) =>
  callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/${action}`, apiKey, params: { id, action }, body });
const localClock = (at: Date, zone: string) => new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Zone = { zone: string; releaseAt: string; chunks: number; chunksDone: number; recipients: number; sent: number };

describe("a campaign delivered at 09:00 in each recipient's time zone", () => {
  it("reaches each zone at 09:00 local, none before and none twice, through a restart and a pause", { timeout: 240_000 }, async () => {
    // Contacts in Tokyo, Paris and New York; those without a zone (or with one that does not
    // exist) are sent in the workspace's zone, New York.
    await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "America/New_York" });
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 150, prefix: "lt" });
    await database.db.execute(sql`
      update contacts set timezone = case
        when (substring(email from 'lt(\\d+)@')::int % 5) in (0, 1) then 'Asia/Tokyo'
        when (substring(email from 'lt(\\d+)@')::int % 5) = 2 then 'Europe/Paris'
        when (substring(email from 'lt(\\d+)@')::int % 5) = 3 then 'America/New_York'
        else (case when substring(email from 'lt(\\d+)@')::int % 2 = 0 then null else 'Mars/Olympus_Mons' end) end
      where workspace_id = ${workspaceId}::uuid and email like 'lt%'`);
    const rows = rowsOf<{ email: string; zone: string }>(
      await database.db.execute(
        sql`select email, coalesce(nullif(timezone, 'Mars/Olympus_Mons'), 'America/New_York') as zone from contacts where workspace_id = ${workspaceId}::uuid and email like 'lt%'`,
      ),
    );
    const zoneOf = new Map(rows.map((row) => [row.email, row.zone]));
    expect(new Set(zoneOf.values())).toEqual(new Set(["Asia/Tokyo", "Europe/Paris", "America/New_York"]));

    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: { name: "Morning news", channel: "email", templateId, audience: { listId }, localSendTime: "09:00" },
    });
    expect(created.status).toBe(201);
    expect(created.body.localSendTime).toBe("09:00");
    const id = created.body.id as string;
    const startedAt = Date.now();
    expect((await act(id, "send")).status).toBe(202);

    const emails = () => resend.emails.filter((email) => email.headers["X-Sendline-Campaign-Id"] === id);
    const sentIn = (zone: string) => emails().filter((email) => zoneOf.get(email.to[0]!) === zone).length;
    const planned = await waitFor(() => read(id), (response) => response.body.zones?.length === 3, 60_000);
    const zones = (planned.body.zones as Zone[]).slice().sort((a, b) => a.releaseAt.localeCompare(b.releaseAt));
    const expected = (zone: string) => [...zoneOf.values()].filter((z) => z === zone).length;
    for (const zone of zones) {
      const at = new Date(zone.releaseAt);
      // 09:00 on that zone's clock, the first one from the start on.
      expect(localClock(at, zone.zone)).toBe("09:00");
      expect(at.getTime()).toBeGreaterThanOrEqual(startedAt - MINUTE);
      expect(at.getTime()).toBeLessThan(startedAt + 24 * 60 * MINUTE);
      expect(zone.recipients).toBe(expected(zone.zone));
      // One zone per chunk, 100 recipients each.
      expect(zone.chunks).toBe(Math.ceil(zone.recipients / 100));
    }

    for (const [index, zone] of zones.entries()) {
      const at = new Date(zone.releaseAt).getTime();
      if (at - MINUTE > Date.now()) {
        clock.set(at - MINUTE);
        await pause(1_500);
        // A minute before 09:00 there: nobody in this zone or a later one has it yet.
        for (const later of zones.slice(index)) expect(sentIn(later.zone)).toBe(0);
      }
      if (index === 1) await app.restart(0);
      if (index === 2) {
        // Paused before the last zone's time: its recipients get nothing until it resumes.
        expect((await act(id, "pause")).status).toBe(200);
        clock.set(at + MINUTE);
        await pause(2_000);
        expect(sentIn(zone.zone)).toBe(0);
        expect((await act(id, "resume")).status).toBe(200);
      } else {
        clock.set(Math.max(at + 1_000, Date.now()));
      }
      await waitFor(async () => sentIn(zone.zone), (n) => n === expected(zone.zone), 60_000);
      // The zone's chunk runs finish (the last emails are out a moment before their chunk is
      // done) before the clock moves hours on, as it never does under a running chunk.
      await waitFor(() => read(id), (response) => (response.body.zones as Zone[]).find((z) => z.zone === zone.zone)!.chunksDone === zone.chunks, 60_000);
      for (const later of zones.slice(index + 1)) expect(sentIn(later.zone)).toBe(0);
    }

    const done = await waitFor(() => read(id), (response) => response.body.status === "sent", 60_000);
    expect(done.body.stats).toMatchObject({ audience: 150, sent: 150, failed: 0, pending: 0 });
    expect(new Set(emails().map((email) => email.to[0])).size).toBe(150);
    expect(emails()).toHaveLength(150);
    expect(resend.duplicateSends()).toEqual([]);
    expect((done.body.zones as Zone[]).map((zone) => zone.sent).reduce((a, b) => a + b)).toBe(150);

    // Executions per zone: one release run (none for a zone due at the start), and chunk runs
    // bounded by the zone's chunks (a resume re-emits the paused zone's once).
    const runs = (await app.engine.listRuns({})).filter((run) => JSON.stringify(run.event).includes(id));
    const runsOf = (fn: string) => runs.filter((run) => run.fn_id.endsWith(fn)).length;
    expect(runsOf("release-campaign-chunks")).toBeLessThanOrEqual(3);
    const chunks = zones.reduce((sum, zone) => sum + zone.chunks, 0);
    expect(runsOf("send-campaign-chunk")).toBeGreaterThanOrEqual(chunks);
    expect(runsOf("send-campaign-chunk")).toBeLessThanOrEqual(chunks + zones[2]!.chunks);
  });
});
