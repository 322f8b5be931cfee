import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { creditBalance } from "@/db/queries/credits";
import { rowsOf } from "@/db/queries/rows-of";
import { suppress } from "@/db/queries/suppressions";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, newResendWebhookSecret, resendWebhookPayload, signResendWebhook, startFakeResend } from "@/test/fakes/fake-resend";
import { type FakeTwilio, startFakeTwilio } from "@/test/fakes/fake-twilio";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

/**
 * Campaigns end to end through the local engine and the real Resend SDK against a loopback
 * fake that enforces Resend's rate limit and idempotency keys: each recipient gets exactly one
 * email, whatever fails or is replayed on the way, and sent + suppressed + failed = audience.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let resend: FakeResend;
let twilio: FakeTwilio;
let database: Database;
let apiKey: string;
let workspaceId: string;
const ENV = {
  CAMPAIGN_CHUNK_SIZE: "100",
  STUCK_SENDING_MINUTES: "1",
  SMS_SENDER_MPS: "50",
  RESEND_TIMEOUT_MS: "1500",
  RESEND_WEBHOOK_SECRET: newResendWebhookSecret(),
};
let campaignsRoute: typeof import("@/app/api/v1/campaigns/route");
let campaignRoute: typeof import("@/app/api/v1/campaigns/[id]/route");
let actionRoute: typeof import("@/app/api/v1/campaigns/[id]/[action]/route");

beforeAll(async () => {
  database = await useTestDatabase();
  resend = await startFakeResend();
  twilio = await startFakeTwilio();
  // Small chunks so a few hundred recipients exercise the fan-out; read when the functions load.
  Object.assign(process.env, {
    ...ENV,
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: twilio.url,
  });
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Campaigns E2E" }));
  // Persistent: the restart test starts a new engine on the same stored state.
  app = await startAppEngine({ persistent: true });
  campaignsRoute = await import("@/app/api/v1/campaigns/route");
  campaignRoute = await import("@/app/api/v1/campaigns/[id]/route");
  actionRoute = await import("@/app/api/v1/campaigns/[id]/[action]/route");
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await resend?.stop();
  await twilio?.stop();
  await database?.close();
  for (const name of [...Object.keys(ENV), "RESEND_API_KEY", "RESEND_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "TWILIO_BASE_URL"]) {
    delete process.env[name];
  }
});

const create = (body: Record<string, unknown>) => callRoute(campaignsRoute.POST, { method: "POST", path: "/api/v1/campaigns", apiKey, body });
const act = (id: string, action: string, body?: unknown) =>
  callRoute(actionRoute.POST, { method: "POST", path: `/api/v1/campaigns/${id}/${action}`, apiKey, params: { id, action }, body });
const read = (id: string) => callRoute(campaignRoute.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } });
const finished = (id: string, timeoutMs = 90_000) =>
  waitFor(() => read(id), (response) => ["sent", "failed", "cancelled", "draft"].includes(response.body.status), timeoutMs);
const sentFacts = async (campaignId: string) =>
  rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from engagement_events where campaign_id = ${campaignId}::uuid and type = 'sent'`))[0]!.n;
const emailsOf = (campaignId: string) => resend.emails.filter((email) => email.headers["X-Sendline-Campaign-Id"] === campaignId);

describe("an email campaign to a list", () => {
  it("sends each recipient exactly once with RFC 8058 headers, through 500s, a lost answer, a timeout and 429s", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 250, prefix: "a" });
    // At send time: one contact unsubscribed (left out of the audience), one address suppressed.
    await database.db.execute(sql`update contacts set status = 'unsubscribed' where email = 'a7@example.com'`);
    await suppress(database.db, { workspaceId, channel: "email", address: "a8@example.com", reason: "hard_bounce" });
    const balanceBefore = await creditBalance(database.db, { workspaceId });

    const created = await create({ name: "Launch", channel: "email", templateId, audience: { listId }, from: "News <news@example.com>" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "draft", channel: "email" });
    // The first calls go wrong, in this order: two 429s, two 500s, one accepted whose answer is
    // lost, and one that never answers (the SDK gives up after RESEND_TIMEOUT_MS).
    resend.failNext(2, { status: 429 });
    resend.failNext(2, { status: 500 });
    resend.failNext(1, { status: 500, afterAccept: true });
    resend.failNext(1, { hang: true });
    const sending = await act(created.body.id, "send");
    expect(sending.status).toBe(202);
    expect(sending.body.status).toBe("sending");

    const done = await finished(created.body.id);
    expect(done.body.status).toBe("sent");
    expect(done.body.stats).toMatchObject({ audience: 249, sent: 248, suppressed: 1, failed: 0, pending: 0 });
    expect(done.body.progress).toMatchObject({ chunks: 3, chunksDone: 3, percent: 100 });
    expect(resend.counters.injectedFailures).toBe(6);

    const emails = emailsOf(created.body.id);
    expect(emails).toHaveLength(248);
    expect(new Set(emails.map((email) => email.to[0])).size).toBe(248);
    expect(resend.duplicateSends()).toEqual([]);
    expect(emails.some((email) => email.to[0] === "a7@example.com" || email.to[0] === "a8@example.com")).toBe(false);
    for (const email of emails) {
      expect(email.headers["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:3000\/u\/[\w.-]+>$/);
      expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      expect(email.html).toContain("/t/o/");
      expect(email.html).not.toContain('href="https://example.com/post');
    }
    // One credit per sent message; the reservation's remainder came back.
    expect(await creditBalance(database.db, { workspaceId })).toBe(balanceBefore - 248);
    // One "sent" fact per message in the stream, through every retry of the failing calls.
    expect(await sentFacts(created.body.id)).toBe(248);
    expect(await campaignTotals(database.db, { workspaceId, campaignId: created.body.id })).toMatchObject({ sent: 248 });
    const announced = await waitFor(
      () => app.engine.listEvents(100, "campaign/finished"),
      (events) => events.some((event) => JSON.stringify(event.payload).includes(created.body.id)),
    );
    expect(announced.filter((event) => JSON.stringify(event.payload).includes(created.body.id))[0]!.payload).toMatchObject({
      name: "campaign/finished",
      data: { workspaceId, campaignId: created.body.id, status: "sent" },
    });
  }, 120_000);

  it("replaying every run of a finished campaign sends nothing new", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 120, prefix: "r" });
    const created = await create({ name: "Replay", channel: "email", templateId, audience: { listId } });
    await act(created.body.id, "send");
    expect((await finished(created.body.id)).body.status).toBe("sent");
    const before = emailsOf(created.body.id).length;
    expect(before).toBe(120);

    // Every run that sends or counts. The runs campaign/finished starts (analysis and seals) sleep
    // for days to look again once late events settle, so a replay of them would not end here;
    // they send nothing, and their own tests replay them.
    const settling = ["analyze-campaign", "seal-campaign-metrics"];
    const runs = (await app.engine.listRuns({})).filter(
      (run) => JSON.stringify(run.event).includes(created.body.id) && !settling.some((fn) => run.fn_id.endsWith(fn)),
    );
    expect(runs.length).toBeGreaterThanOrEqual(4);
    // Two chunks, one finalize: only the chunk that completed last reports the campaign done.
    const runsOf = (fn: string) => runs.filter((run) => run.fn_id.endsWith(fn)).length;
    expect(runsOf("send-campaign-chunk")).toBe(2);
    expect(runsOf("finalize-campaign")).toBe(1);
    const replays: (string | undefined)[] = [];
    for (const run of runs) replays.push(await app.engine.replay(run.id));
    await waitFor(
      () => Promise.all(replays.map((id) => app.engine.getRun(id!))),
      (rows) => rows.every((row) => row && ["completed", "failed", "cancelled"].includes(row.status)),
      60_000,
    );
    expect(emailsOf(created.body.id)).toHaveLength(before);
    expect(resend.duplicateSends()).toEqual([]);
    expect((await read(created.body.id)).body.stats).toMatchObject({ audience: 120, sent: 120 });
    // Replayed chunks append no second "sent" fact and count nothing twice.
    expect(await sentFacts(created.body.id)).toBe(120);
    expect(await campaignTotals(database.db, { workspaceId, campaignId: created.body.id })).toMatchObject({ sent: 120 });
  }, 120_000);

  it("a one-click POST to the List-Unsubscribe URL unsubscribes the contact", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 3, prefix: "u" });
    const created = await create({ name: "One click", channel: "email", templateId, audience: { listId } });
    await act(created.body.id, "send");
    expect((await finished(created.body.id)).body.status).toBe("sent");
    const email = emailsOf(created.body.id).find((e) => e.to[0] === "u2@example.com")!;
    const url = new URL(email.headers["List-Unsubscribe"]!.slice(1, -1));
    const token = url.pathname.split("/").at(-1)!;
    const unsubscribe = await import("@/app/u/[token]/route");
    const contactRoute = await import("@/app/api/v1/contacts/[id]/route");
    const [contact] = await database.db.execute<{ id: string }>(sql`select id from contacts where email = 'u2@example.com'`).then(rowsOf<{ id: string }>);
    const contactStatus = async () => (await callRoute(contactRoute.GET, { path: "/", apiKey, params: { id: contact!.id } })).body.status;

    // A link scanner's GET shows the confirmation page and changes nothing.
    const page = await unsubscribe.GET(new Request(url), { params: Promise.resolve({ token }) });
    expect(page.status).toBe(200);
    expect(await contactStatus()).toBe("subscribed");
    // The mail client's RFC 8058 one-click POST: no cookie, no login.
    const oneClick = await unsubscribe.POST(
      new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
      { params: Promise.resolve({ token }) },
    );
    expect(oneClick.status).toBe(200);
    expect(await contactStatus()).toBe("unsubscribed");
    expect((await read(created.body.id)).body.stats.unsubscribed).toBe(1);
  }, 60_000);

  it("sends exactly once when the engine is killed and restarted mid-send", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 400, prefix: "k" });
    const created = await create({ name: "Restart", channel: "email", templateId, audience: { listId } });
    await act(created.body.id, "send");
    await waitFor(async () => emailsOf(created.body.id).length, (n) => n >= 100, 60_000);
    // Cut every call in flight at once, then start a new engine on the same state.
    await app.restart(0);
    const done = await finished(created.body.id);
    expect(done.body.stats).toMatchObject({ audience: 400, sent: 400, suppressed: 0, failed: 0 });
    expect(emailsOf(created.body.id)).toHaveLength(400);
    expect(resend.duplicateSends()).toEqual([]);
  }, 120_000);

  it("skips a contact who unsubscribes mid-campaign, and pauses, resumes and cancels cleanly", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 300, prefix: "m" });
    const created = await create({ name: "Mid", channel: "email", templateId, audience: { listId } });
    await act(created.body.id, "send");
    await waitFor(async () => emailsOf(created.body.id).length, (n) => n >= 1, 60_000);
    const paused = await act(created.body.id, "pause");
    expect(paused.body.status).toBe("paused");
    // A part already on its way when the pause came still completes; after that nothing moves.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A recipient not sent yet unsubscribes while the campaign is paused.
    const [waiting] = rowsOf<{ email: string }>(
      await database.db.execute(sql`
        select c.email from campaign_recipients r join contacts c on c.id = r.contact_id
        where r.campaign_id = ${created.body.id}::uuid and r.status = 'pending' order by r.chunk desc, r.contact_id desc limit 1`),
    );
    expect(waiting).toBeDefined();
    await database.db.execute(sql`update contacts set status = 'unsubscribed', unsubscribed_at = now() where email = ${waiting!.email}`);
    const sentWhilePaused = emailsOf(created.body.id).length;
    expect(sentWhilePaused).toBeLessThan(300);
    expect((await act(created.body.id, "pause")).status).toBe(409);

    expect((await act(created.body.id, "resume")).body.status).toBe("sending");
    const done = await finished(created.body.id);
    expect(done.body.stats).toMatchObject({ audience: 300, sent: 299, suppressed: 1, failed: 0 });
    expect(emailsOf(created.body.id).some((e) => e.to[0] === waiting!.email)).toBe(false);
    expect(resend.duplicateSends()).toEqual([]);

    const other = await create({ name: "Cancelled", channel: "email", templateId, audience: { listId } });
    const balance = await creditBalance(database.db, { workspaceId });
    await act(other.body.id, "send");
    await waitFor(async () => emailsOf(other.body.id).length, (n) => n >= 1, 60_000);
    expect((await act(other.body.id, "cancel")).body.status).toBe("cancelled");
    // A part on its way when the cancel came still goes out; once it is recorded, the rest of the
    // reservation comes back.
    await waitFor(
      async () => rowsOf(await database.db.execute(sql`select 1 from credit_ledger where campaign_id = ${other.body.id}::uuid and kind = 'release'`)).length,
      (releases) => releases === 1,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const sent = emailsOf(other.body.id).length;
    expect(sent).toBeLessThan(300);
    expect((await read(other.body.id)).body.stats.sent).toBe(sent);
    // Exactly one credit per message that went out.
    expect(await creditBalance(database.db, { workspaceId })).toBe(balance - sent);
  }, 120_000);

  it("sends a scheduled campaign at its time, and never one that was cancelled", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 5, prefix: "s" });
    const soon = new Date(Date.now() + 2_000).toISOString();
    const scheduled = await create({ name: "Scheduled", channel: "email", templateId, audience: { listId }, sendAt: soon });
    expect(scheduled.body).toMatchObject({ status: "scheduled", sendAt: soon });
    const cancelled = await create({ name: "Never", channel: "email", templateId, audience: { listId }, sendAt: soon });
    expect((await act(cancelled.body.id, "cancel")).body.status).toBe("cancelled");

    const done = await finished(scheduled.body.id, 60_000);
    expect(done.body.stats).toMatchObject({ audience: 5, sent: 5 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(emailsOf(cancelled.body.id)).toHaveLength(0);
    expect((await read(cancelled.body.id)).body.status).toBe("cancelled");
  }, 90_000);

  it("takes duplicate and out-of-order Resend webhooks through the engine without regressing a status or counting twice", async () => {
    const webhooks = await import("@/app/api/webhooks/resend/route");
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 3, prefix: "h" });
    const first = await create({ name: "Webhooks", channel: "email", templateId, audience: { listId } });
    await act(first.body.id, "send");
    expect((await finished(first.body.id)).body.status).toBe("sent");
    const email = (to: string) => emailsOf(first.body.id).find((e) => e.to[0] === to)!;
    const deliver = async (payload: Record<string, unknown>, id?: string) => {
      const raw = JSON.stringify(payload);
      const response = await callRoute(webhooks.POST, { method: "POST", path: "/api/webhooks/resend", body: raw, headers: signResendWebhook(ENV.RESEND_WEBHOOK_SECRET, raw, { id }) });
      expect(response.status).toBe(200);
    };
    // h1: a hard bounce, then a late "delivered" that must not override it.
    await deliver(resendWebhookPayload(email("h1@example.com"), "email.bounced", { bounce: { type: "Permanent", subType: "General" } }));
    await deliver(resendWebhookPayload(email("h1@example.com"), "email.delivered"));
    // h2: delivered, then the same delivery redelivered (same svix-id).
    await deliver(resendWebhookPayload(email("h2@example.com"), "email.delivered"), "msg_h2_delivered");
    await deliver(resendWebhookPayload(email("h2@example.com"), "email.delivered"), "msg_h2_delivered");
    // h3: a spam complaint.
    await deliver(resendWebhookPayload(email("h3@example.com"), "email.complained"));

    // The campaign's stats read the rollups: h1 was delivered and then bounced (both happened, in
    // whatever order the reports came), so it counts in both; its message stays "bounced".
    const stats = await waitFor(
      async () => (await read(first.body.id)).body.stats,
      (s) => s.bounced === 1 && s.delivered === 2 && s.complained === 1,
      30_000,
    );
    expect(stats).toMatchObject({ audience: 3, sent: 3, bounced: 1, delivered: 2, complained: 1 });
    // The engagement stream and its rollups: each report once (h2's redelivery is no second
    // delivery), h1's late delivery kept as what it was (it happened before the bounce), the
    // hard bounce with its kind; "sent" came from the send itself.
    const totals = await waitFor(
      () => campaignTotals(database.db, { workspaceId, campaignId: first.body.id }),
      (t) => t.delivered === 2 && t.bounced === 1 && t.complained === 1,
      30_000,
    );
    expect(totals).toMatchObject({ sent: 3, delivered: 2, bounced: 1, hardBounced: 1, complained: 1 });
    const facts = rowsOf<{ recipient: string; type: string; source: string; bounce_kind: string | null }>(
      await database.db.execute(sql`
        select m.recipient, e.type, e.source, e.bounce_kind from engagement_events e join messages m on m.id = e.message_id
        where e.campaign_id = ${first.body.id}::uuid order by m.recipient, e.type`),
    );
    expect(facts).toEqual([
      { recipient: "h1@example.com", type: "sent", source: "send", bounce_kind: null },
      { recipient: "h1@example.com", type: "delivered", source: "resend", bounce_kind: null },
      { recipient: "h1@example.com", type: "bounced", source: "resend", bounce_kind: "hard" },
      { recipient: "h2@example.com", type: "sent", source: "send", bounce_kind: null },
      { recipient: "h2@example.com", type: "delivered", source: "resend", bounce_kind: null },
      { recipient: "h3@example.com", type: "sent", source: "send", bounce_kind: null },
      { recipient: "h3@example.com", type: "complained", source: "resend", bounce_kind: null },
    ]);
    const statuses = rowsOf<{ recipient: string; status: string }>(
      await database.db.execute(sql`select recipient, status from messages where campaign_id = ${first.body.id}::uuid order by recipient`),
    );
    expect(statuses).toEqual([
      { recipient: "h1@example.com", status: "bounced" },
      { recipient: "h2@example.com", status: "delivered" },
      { recipient: "h3@example.com", status: "complained" },
    ]);

    // The next campaign to the same list skips the bounced and the complaining address.
    const second = await create({ name: "Webhooks 2", channel: "email", templateId, audience: { listId } });
    await act(second.body.id, "send");
    const done = await finished(second.body.id);
    expect(done.body.stats.sent + done.body.stats.suppressed + done.body.stats.failed).toBe(done.body.stats.audience);
    expect(emailsOf(second.body.id).map((e) => e.to[0])).toEqual(["h2@example.com"]);
    expect(resend.duplicateSends()).toEqual([]);
  }, 90_000);

  it("sends an SMS campaign to E.164 numbers only, once each, counting segments", async () => {
    const { insertTemplate } = await import("@/db/queries/templates");
    const { insertList } = await import("@/db/queries/lists");
    const list = (await insertList(database.db, { workspaceId, name: "sms audience", description: null }))!;
    const template = (await insertTemplate(database.db, { workspaceId, channel: "sms", name: "sms", subject: null, body: "Hi {{ contact.first_name }}, our sale starts now. Reply STOP to opt out." }))!;
    await database.db.execute(sql`
      insert into contacts (workspace_id, email, phone, first_name)
      select ${workspaceId}::uuid, 'sms' || i || '@example.com', '+1415444' || lpad(i::text, 4, '0'), 'S' || i from generate_series(1, 30) as i`);
    // An imported number that never got normalised: refused, not sent.
    await database.db.execute(sql`update contacts set phone = '4154440007' where email = 'sms7@example.com'`);
    await database.db.execute(sql`
      insert into list_members (list_id, contact_id, workspace_id)
      select ${list.id}::uuid, id, workspace_id from contacts where workspace_id = ${workspaceId}::uuid and email like 'sms%@example.com'`);
    const created = await create({ name: "SMS", channel: "sms", templateId: template.id, audience: { listId: list.id }, from: "+15005550006" });
    expect(created.status).toBe(201);
    await act(created.body.id, "send");
    const done = await finished(created.body.id);
    expect(done.body.stats).toMatchObject({ audience: 30, sent: 29, failed: 1, suppressed: 0 });
    const sent = twilio.messages.filter((m) => m.body.startsWith("Hi S"));
    expect(sent).toHaveLength(29);
    expect(new Set(sent.map((m) => m.to)).size).toBe(29);
    expect(sent.every((m) => m.numSegments === 1 && m.from === "+15005550006")).toBe(true);
  }, 90_000);

  it("does not start without enough credits, and says why", async () => {
    const poor = await createWorkspace(database.db, { name: "Poor" });
    await database.db.execute(sql`delete from credit_ledger where workspace_id = ${poor.workspace.id}::uuid`);
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId: poor.workspace.id, size: 5, prefix: "p" });
    const created = await callRoute(campaignsRoute.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey: poor.apiKey,
      body: { name: "Broke", channel: "email", templateId, audience: { listId } },
    });
    await callRoute(actionRoute.POST, { method: "POST", path: "/", apiKey: poor.apiKey, params: { id: created.body.id, action: "send" } });
    const done = await waitFor(
      () => callRoute(campaignRoute.GET, { path: "/", apiKey: poor.apiKey, params: { id: created.body.id } }),
      (response) => response.body.status === "draft" && response.body.statusReason !== null,
    );
    expect(done.body.statusReason).toMatch(/Not enough credits: the audience is 5 recipients and the balance is 0/);
    expect(emailsOf(created.body.id)).toHaveLength(0);
  }, 60_000);
});
