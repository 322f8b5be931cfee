import { randomUUID } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertTemplate } from "@/db/queries/templates";
import { campaignRecipients } from "@/db/schema";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * An A/B campaign end to end through the local engine, with the clock under the test's control
 * (the app and the engine read the same faked Date): the test sample gets its variants, people
 * open variant B, the clock moves past the window, B is recorded the winner with its p-value and
 * the rest of the audience gets B — each recipient once, and a replay of every run sends nothing
 * new and picks no other winner.
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
let abTestRoute: typeof import("@/app/api/v1/campaigns/[id]/ab-test/route");

beforeAll(async () => {
  // At the real time: PostgreSQL's now() never runs behind the app's clock.
  clock = useTestClock(Date.now());
  database = await useTestDatabase();
  resend = await startFakeResend();
  Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url, CAMPAIGN_CHUNK_SIZE: "100" });
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "A/B" }));
  app = await startAppEngine({ persistent: true });
  campaignsRoute = await import("@/app/api/v1/campaigns/route");
  campaignRoute = await import("@/app/api/v1/campaigns/[id]/route");
  actionRoute = await import("@/app/api/v1/campaigns/[id]/[action]/route");
  abTestRoute = await import("@/app/api/v1/campaigns/[id]/ab-test/route");
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await resend?.stop();
  await database?.close();
  for (const name of ["RESEND_API_KEY", "RESEND_BASE_URL", "CAMPAIGN_CHUNK_SIZE"]) delete process.env[name];
});

const read = (id: string) => callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } });
const results = (id: string) => callRoute(abTestRoute.GET, { path: `/api/v1/campaigns/${id}/ab-test`, apiKey, params: { id } });
/** The sample recipients given `variant`, with their messages. */
const sampleOf = (campaignId: string, variant: number) =>
  database.db
    .select({ messageId: campaignRecipients.messageId })
    .from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.variant, variant), isNotNull(campaignRecipients.messageId)));
const settled = (status: string) => status === "completed" || status === "failed" || status === "cancelled";

describe("an A/B campaign", () => {
  it("sends the test sample, waits the window, records B the winner on human opens and sends B to the rest, once", { timeout: 240_000 }, async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 40, prefix: "ab" });
    const templateB = await insertTemplate(database.db, { workspaceId, channel: "email", name: "B", subject: "unused", body: "<p>Variant B for {{ contact.first_name }}</p>" });
    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: {
        name: "Spring sale",
        channel: "email",
        templateId,
        audience: { listId },
        abTest: {
          variants: [{ subject: "Spring sale A" }, { subject: "Spring sale B for {{ contact.first_name }}", templateId: templateB!.id }],
          testPercent: 50,
          windowMinutes: 60,
          metric: "opens",
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.abTest).toMatchObject({ state: "not_started", metric: "opens", testPercent: 50, winner: null });
    const id = created.body.id as string;
    expect((await callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/send`, apiKey, params: { id, action: "send" } })).status).toBe(202);

    // The sample: 20 of 40, 10 per variant, each its own content; nobody else has anything yet.
    const emails = () => resend.emails.filter((email) => email.headers["X-Sendline-Campaign-Id"] === id);
    const sample = await waitFor(() => read(id), (response) => response.body.progress?.chunksDone === 1 && response.body.stats?.sent === 20, 60_000);
    const startedAt = Date.parse(sample.body.startedAt);
    expect(sample.body.status).toBe("sending");
    expect(emails()).toHaveLength(20);
    const bySubject = (prefix: string) => emails().filter((email) => email.subject.startsWith(prefix));
    expect(bySubject("Spring sale A")).toHaveLength(10);
    expect(bySubject("Spring sale B for Name")).toHaveLength(10);
    expect(bySubject("Spring sale B").every((email) => email.html?.includes("Variant B for Name"))).toBe(true);

    // Ten minutes on (an open seconds after the send is a machine's prefetch), people open B (6 of
    // 10); A gets one human open and four machine opens, which do not count.
    clock.set(startedAt + 10 * MINUTE);
    const [a, b] = [await sampleOf(id, 0), await sampleOf(id, 1)];
    const open = (messageId: string, machine: "apple-privacy-proxy" | null = null) => ({ messageId, type: "opened" as const, source: "pixel" as const, occurredAt: new Date(), dedupeKey: randomUUID(), machine });
    await recordEngagement(database.db, [...b.slice(0, 6).map((r) => open(r.messageId!)), open(a[0]!.messageId!), ...a.slice(1, 5).map((r) => open(r.messageId!, "apple-privacy-proxy"))]);
    const live = await results(id);
    expect(live.body).toMatchObject({ state: "testing", leader: { variant: "B" }, winner: null, canPickNow: true });
    expect(live.body.variants.map((v: { sent: number; conversions: number }) => [v.sent, v.conversions])).toEqual([
      [10, 1],
      [10, 6],
    ]);

    // Past the window: B wins, and the rest get B.
    clock.set(startedAt + 61 * MINUTE);
    const done = await waitFor(() => read(id), (response) => response.body.status === "sent", 60_000);
    expect(done.body.stats).toMatchObject({ audience: 40, sent: 40, failed: 0, pending: 0 });
    expect(done.body.abTest.winner).toMatchObject({ variant: "B", index: 1, decidedBy: "window", variants: [{ variant: "A", sent: 10, conversions: 1 }, { variant: "B", sent: 10, conversions: 6 }] });
    expect(done.body.abTest.winner.pValue).toBeGreaterThan(0);
    expect(done.body.abTest.winner.pValue).toBeLessThan(0.05);
    expect(emails()).toHaveLength(40);
    expect(bySubject("Spring sale A")).toHaveLength(10);
    expect(bySubject("Spring sale B for Name")).toHaveLength(30);
    expect(new Set(emails().map((email) => email.to[0])).size).toBe(40);
    expect(resend.duplicateSends()).toEqual([]);

    // A replay of every run of the send path: nothing sent again, the same winner.
    const SEND_PATH = ["send-campaign", "send-campaign-chunk", "pick-campaign-ab-winner", "finalize-campaign"];
    const sendRuns = async () =>
      (await app.engine.listRuns({ limit: 1000 })).filter((run) => SEND_PATH.some((fn) => run.fn_id === `sendline-${fn}`) && JSON.stringify(run.event).includes(id));
    const runs = await waitFor(sendRuns, (list) => list.every((run) => settled(run.status)), 60_000);
    expect(runs.filter((run) => run.fn_id === "sendline-pick-campaign-ab-winner")).toHaveLength(1);
    for (const run of runs) await app.engine.replay(run.id);
    await waitFor(sendRuns, (list) => list.length >= runs.length * 2 && list.every((run) => settled(run.status)), 60_000);
    expect((await sendRuns()).every((run) => run.status === "completed")).toBe(true);
    const after = await read(id);
    expect(after.body.abTest.winner).toEqual(done.body.abTest.winner);
    expect(emails()).toHaveLength(40);
    expect(resend.duplicateSends()).toEqual([]);
  });

  it("tests send times: each variant's sample goes at its time, and the rest get the winner at its time of day the next day", { timeout: 240_000 }, async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 40, prefix: "abtime" });
    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: {
        name: "Send time",
        channel: "email",
        templateId,
        audience: { listId },
        abTest: { variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 120 }], testPercent: 50, windowMinutes: 60, metric: "opens" },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/send`, apiKey, params: { id, action: "send" } })).status).toBe(202);
    const emails = () => resend.emails.filter((email) => email.headers["X-Sendline-Campaign-Id"] === id);

    // At the start only A's 10 go; B's 10 wait two hours for their release run.
    const first = await waitFor(() => read(id), (response) => response.body.stats?.sent === 10, 60_000);
    const startedAt = Date.parse(first.body.startedAt);
    const test = (await results(id)).body;
    expect(test).toMatchObject({ decideAt: new Date(startedAt + 180 * MINUTE).toISOString(), canPickNow: false, restSendAt: null });
    expect(test.variants.map((v: { sendDelayMinutes: number; sendAt: string | null }) => [v.sendDelayMinutes, v.sendAt])).toEqual([
      [0, null],
      [120, new Date(startedAt + 120 * MINUTE).toISOString()],
    ]);
    clock.set(startedAt + 60 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(emails()).toHaveLength(10);

    clock.set(startedAt + 121 * MINUTE);
    await waitFor(() => read(id), (response) => response.body.stats?.sent === 20, 60_000);
    expect(emails()).toHaveLength(20);

    // People open B's later send more (6 of 10) than A's (1 of 10).
    clock.set(startedAt + 140 * MINUTE);
    const [a, b] = [await sampleOf(id, 0), await sampleOf(id, 1)];
    const open = (messageId: string) => ({ messageId, type: "opened" as const, source: "pixel" as const, occurredAt: new Date(), dedupeKey: randomUUID(), machine: null });
    await recordEngagement(database.db, [...b.slice(0, 6).map((r) => open(r.messageId!)), open(a[0]!.messageId!)]);

    // Past the window after B's send: B wins, and the rest wait for B's time of day, tomorrow.
    clock.set(startedAt + 181 * MINUTE);
    const decided = await waitFor(() => results(id), (response) => response.body.state === "decided", 60_000);
    const bTime = Math.floor((startedAt + 120 * MINUTE) / MINUTE) * MINUTE; // to the minute
    const restAt = bTime + 24 * 60 * MINUTE;
    expect(decided.body).toMatchObject({ winner: { variant: "B", decidedBy: "window" }, restSendAt: new Date(restAt).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(emails()).toHaveLength(20);

    clock.set(restAt + MINUTE);
    const done = await waitFor(() => read(id), (response) => response.body.status === "sent", 60_000);
    expect(done.body.stats).toMatchObject({ audience: 40, sent: 40, failed: 0, pending: 0 });
    expect(emails()).toHaveLength(40);
    expect(new Set(emails().map((email) => email.to[0])).size).toBe(40);
    expect(resend.duplicateSends()).toEqual([]);
  });
});
