import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { engagementEvents, messages } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

/**
 * Engagement tracking end to end: a campaign is sent through the engine to the fake Resend; the
 * emails' real pixel and link URLs are then loaded by a person, Apple's privacy proxy, Gmail's
 * image proxy and a security gateway. The routes classify and emit; the engine runs the batch
 * writer; the campaign's totals count people and keep machines apart. Replaying every writer run
 * changes no count.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let resend: FakeResend;
let database: Database;
let apiKey: string;
let workspaceId: string;
let routes: {
  campaigns: typeof import("@/app/api/v1/campaigns/route");
  campaign: typeof import("@/app/api/v1/campaigns/[id]/route");
  action: typeof import("@/app/api/v1/campaigns/[id]/[action]/route");
  pixel: typeof import("@/app/t/o/[token]/route");
  link: typeof import("@/app/t/c/[token]/route");
};
const ENV = ["TRACKING_SECRET", "RESEND_API_KEY", "RESEND_BASE_URL"] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

const UA = {
  iphoneMail: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  chrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  gmailProxy: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
};

beforeAll(async () => {
  database = await useTestDatabase();
  resend = await startFakeResend();
  Object.assign(process.env, { TRACKING_SECRET: "engagement-e2e-secret-engagement-e2e", RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Engagement E2E" }));
  app = await startAppEngine();
  routes = {
    campaigns: await import("@/app/api/v1/campaigns/route"),
    campaign: await import("@/app/api/v1/campaigns/[id]/route"),
    action: await import("@/app/api/v1/campaigns/[id]/[action]/route"),
    pixel: await import("@/app/t/o/[token]/route"),
    link: await import("@/app/t/c/[token]/route"),
  };
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await resend?.stop();
  await database?.close();
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** The token of the email's open pixel and of its first tracked link, as a mail client would find them. */
function trackingTokens(html: string): { open: string; click: string } {
  const open = /\/t\/o\/([^"'\s]+)/.exec(html)?.[1];
  const click = /\/t\/c\/([^"'\s]+)/.exec(html)?.[1];
  if (!open || !click) throw new Error(`no tracking URLs in ${html.slice(0, 300)}`);
  return { open, click };
}
const loadPixel = (token: string, userAgent: string, ip: string) =>
  callRoute(routes.pixel.GET, { path: `/t/o/${token}`, params: { token }, headers: { "user-agent": userAgent, "x-forwarded-for": ip } });
const follow = (token: string, userAgent: string, ip: string) =>
  callRoute(routes.link.GET, { path: `/t/c/${token}`, params: { token }, headers: { "user-agent": userAgent, "x-forwarded-for": ip } });

describe("engagement tracking through the running system", () => {
  it("counts people's opens and clicks, keeps Apple's proxy and a gateway apart, and replays count nothing", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 4, prefix: "eng" });
    const created = await callRoute(routes.campaigns.POST, { method: "POST", path: "/api/v1/campaigns", apiKey, body: { name: "Engagement", channel: "email", templateId, audience: { listId } } });
    const campaignId = created.body.id as string;
    await callRoute(routes.action.POST, { method: "POST", path: `/api/v1/campaigns/${campaignId}/send`, apiKey, params: { id: campaignId, action: "send" } });
    await waitFor(
      () => callRoute(routes.campaign.GET, { path: `/api/v1/campaigns/${campaignId}`, apiKey, params: { id: campaignId } }),
      (response) => response.body.status === "sent",
      60_000,
    );
    const byRecipient = new Map(resend.emails.filter((email) => email.headers["X-Sendline-Campaign-Id"] === campaignId).map((email) => [email.to[0]!, trackingTokens(email.html!)]));
    expect(byRecipient.size).toBe(4);
    // Readers open their mail later than the send: anything within seconds of it is a prefetch.
    await database.db.execute(sql`update messages set sent_at = sent_at - interval '1 hour' where campaign_id = ${campaignId}::uuid`);

    const [person, appleReader, gatewayReader, gmailReader] = ["eng1@example.com", "eng2@example.com", "eng3@example.com", "eng4@example.com"].map((to) => byRecipient.get(to)!);
    const answers = [
      await loadPixel(person!.open, UA.iphoneMail, "203.0.113.10"),
      await loadPixel(appleReader!.open, "Mozilla/5.0", "17.58.63.10"),
      await loadPixel(gmailReader!.open, UA.gmailProxy, "66.249.84.12"),
      await follow(person!.click, UA.chrome, "203.0.113.10"),
      // Microsoft's gateway follows the link (its address), then again within the same second.
      await follow(gatewayReader!.click, UA.chrome, "40.107.22.51"),
      await follow(gatewayReader!.click, UA.chrome, "40.107.22.52"),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 302, 302, 302]);

    const totals = await waitFor(
      () => campaignTotals(database.db, { workspaceId, campaignId }),
      (counted) => counted.opened + counted.machineOpened + counted.clicked + counted.machineClicked >= 6,
      30_000,
    );
    expect(totals).toMatchObject({ opened: 2, uniqueOpened: 2, machineOpened: 1, clicked: 1, uniqueClicked: 1, machineClicked: 2 });
    const tracked = () =>
      database.db
        .select({ machine: engagementEvents.machine, client: engagementEvents.client })
        .from(engagementEvents)
        .where(and(eq(engagementEvents.campaignId, campaignId), inArray(engagementEvents.source, ["pixel", "redirect"])));
    expect((await tracked()).map((row) => row.machine).sort()).toEqual(["apple-privacy-proxy", "security-scanner", "security-scanner", null, null, null].sort());
    expect((await tracked()).map((row) => row.client)).toContain("Gmail");
    const [personRow] = await database.db.select().from(messages).where(and(eq(messages.campaignId, campaignId), eq(messages.recipient, "eng1@example.com")));
    expect(personRow).toMatchObject({ status: "clicked", openCount: 1, clickCount: 1 });
    const [gatewayRow] = await database.db.select().from(messages).where(and(eq(messages.campaignId, campaignId), eq(messages.recipient, "eng3@example.com")));
    expect(gatewayRow).toMatchObject({ openCount: 0, clickCount: 0 });

    // The writer batches: fewer runs than events.
    const writerRuns = (await app.engine.listRuns({ limit: 1000 })).filter((run) => run.fn_id.endsWith("record-engagement"));
    expect(writerRuns.length).toBeGreaterThan(0);
    expect(writerRuns.length).toBeLessThan(6);

    const replays: (string | undefined)[] = [];
    for (const run of writerRuns) replays.push(await app.engine.replay(run.id));
    const finishedReplays = await waitFor(
      () => Promise.all(replays.map((id) => app.engine.getRun(id!))),
      (rows) => rows.every((row) => row && ["completed", "failed", "cancelled"].includes(row.status)),
      30_000,
    );
    expect(finishedReplays.map((row) => row!.status)).toEqual(writerRuns.map(() => "completed"));
    expect(await campaignTotals(database.db, { workspaceId, campaignId })).toEqual(totals);
    expect(await tracked()).toHaveLength(6);
  }, 120_000);
});
