import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { getMessage, insertMessage, recordMessageEngagement } from "@/db/queries/messages";
import { messages } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { planStepMessageKey } from "@/lib/delivery/plan-step";
import { requestChannelPlan } from "@/lib/delivery/request-channel-plan";
import { contacts, notificationCategories } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";
import { metrics } from "@/lib/observability/metrics";

/**
 * Channel plans, quiet hours, frequency caps and digests end to end: the real API routes send
 * the events, the engine runs the real functions through the app's serve() route, and messages
 * land in the outbox. Time is real: windows and waits are a few seconds long.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let contactId: string;
let routes: {
  notifications: typeof import("@/app/api/v1/notifications/route");
  notification: typeof import("@/app/api/v1/notifications/[id]/route");
  plans: typeof import("@/app/api/v1/channel-plans/route");
  plan: typeof import("@/app/api/v1/channel-plans/[id]/route");
  digests: typeof import("@/app/api/v1/digests/route");
  digest: typeof import("@/app/api/v1/digests/[id]/route");
  flush: typeof import("@/app/api/v1/digests/[id]/flush/route");
  settings: typeof import("@/app/api/v1/delivery-settings/route");
  category: typeof import("@/app/api/v1/delivery-settings/categories/[key]/route");
};

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Delivery rules" }));
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: "dana@example.com", phone: "+14155550100" }).returning();
  contactId = contact!.id;
  await database.db.insert(notificationCategories).values([
    { workspaceId, key: "marketing", name: "Marketing" },
    { workspaceId, key: "activity", name: "Activity" },
    { workspaceId, key: "comments", name: "Comments" },
    { workspaceId, key: "security", name: "Security", urgent: true },
  ]);
  app = await startAppEngine();
  routes = {
    notifications: await import("@/app/api/v1/notifications/route"),
    notification: await import("@/app/api/v1/notifications/[id]/route"),
    plans: await import("@/app/api/v1/channel-plans/route"),
    plan: await import("@/app/api/v1/channel-plans/[id]/route"),
    digests: await import("@/app/api/v1/digests/route"),
    digest: await import("@/app/api/v1/digests/[id]/route"),
    flush: await import("@/app/api/v1/digests/[id]/flush/route"),
    settings: await import("@/app/api/v1/delivery-settings/route"),
    category: await import("@/app/api/v1/delivery-settings/categories/[key]/route"),
  };
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const notify = (body: Record<string, unknown>) => callRoute(routes.notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const notification = (id: string) => callRoute(routes.notification.GET, { path: "/", apiKey, params: { id } });
const startPlan = (body: Record<string, unknown>) => callRoute(routes.plans.POST, { method: "POST", path: "/api/v1/channel-plans", apiKey, body });
const plan = (id: string) => callRoute(routes.plan.GET, { path: "/", apiKey, params: { id } });
const setCategory = (key: string, body: Record<string, unknown>) =>
  callRoute(routes.category.PATCH, { method: "PATCH", path: `/api/v1/delivery-settings/categories/${key}`, apiKey, params: { key }, body });
const outboxFor = (messageId: string) => listOutboxMessages(database.db, { workspaceId, filter: { messageId }, limit: 10 });
const getMessageByKey = async (key: string) =>
  (await database.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.idempotencyKey, key))))[0];
const runsOf = (fn: string) => app.engine.listRuns({ fnId: `sendline-${fn}` });

describe("channel plans", () => {
  it("refuses an unknown channel, naming the allowed ones", async () => {
    const response = await startPlan({ messageId: "plan-bad", contactId, steps: [{ channel: "pigeon", body: "hi" }] });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error.fields)).toMatch(/email.*sms.*whatsapp.*push.*in_app/);
  });

  it("falls through to the next channel when the contact does not engage in time", async () => {
    const started = await startPlan({
      messageId: "plan-unseen",
      contactId,
      steps: [
        { channel: "email", subject: "Your invoice", body: "<p>Invoice {{ n }}</p>", waitSeconds: 2 },
        { channel: "sms", body: "Invoice {{ n }} is ready" },
      ],
      data: { n: 42 },
    });
    expect(started.status).toBe(202);
    const done = await waitFor(() => plan(started.body.id), (r) => r.body.status !== "running", 30_000);
    expect(done.body.status).toBe("completed");
    expect(done.body.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["not_engaged", "sent"]);
    const sms = await outboxFor(done.body.steps[1].messageId);
    expect(sms.map((row) => row.text)).toEqual(["Invoice 42 is ready"]);
  });

  it("stops when the contact engages with a step (an email opened)", async () => {
    const started = await startPlan({
      messageId: "plan-opened",
      contactId,
      steps: [
        { channel: "email", subject: "Welcome", body: "<p>Hi</p>", waitSeconds: 3 },
        { channel: "sms", body: "Did you see our email?" },
      ],
    });
    const first = await waitFor(() => plan(started.body.id), (r) => r.body.steps[0].messageId !== null || r.body.status !== "running");
    const emailId = first.body.steps[0].messageId as string;
    await waitFor(() => getMessage(database.db, { workspaceId, messageId: emailId }), (m) => m?.status === "sent");
    await recordMessageEngagement(database.db, { workspaceId, messageId: emailId, kind: "open", at: new Date() });
    const done = await waitFor(() => plan(started.body.id), (r) => r.body.status !== "running", 30_000);
    expect(done.body.status).toBe("engaged");
    expect(done.body.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["engaged", "pending"]);
    expect(done.body.steps[1].messageId).toBeNull();
  });

  it("an in-app step stops the plan when the contact sees it", async () => {
    const { inngest } = await import("@/inngest/client");
    const { channelPlanRequested, inboxMessageSeen } = await import("@/inngest/events");
    const outcome = await requestChannelPlan(database.db, workspaceId, {
      messageId: "plan-seen",
      contactId,
      data: {},
      steps: [
        { channel: "in_app", subject: "New reply", body: "Ann replied", waitSeconds: 60 },
        { channel: "email", subject: "New reply", body: "<p>Ann replied</p>", waitSeconds: 3_600 },
      ],
    });
    if (!outcome.ok) throw new Error(outcome.message);
    const planId = outcome.plan.id;
    // The inbox (its own provider, built elsewhere) has delivered the step's in-app message: the
    // row the plan's first step records is already sent, so the plan goes on to wait for "seen".
    const { row: inApp } = await insertMessage(database.db, {
      workspaceId,
      idempotencyKey: planStepMessageKey(planId, 0),
      channel: "in_app",
      recipient: contactId,
      contactId,
      status: "sent",
      request: { subject: "New reply", body: "Ann replied", data: {} },
    });
    await inngest.send(channelPlanRequested.create({ workspaceId, planId }));
    await waitFor(() => plan(planId), (r) => r.body.steps[0].outcome === "waiting");
    // Sent until the plan takes it: the engine matches a wait only to events after it began.
    const done = await waitFor(
      async () => {
        await inngest.send(inboxMessageSeen.create({ workspaceId, messageId: inApp.id, contactId }));
        return plan(planId);
      },
      (r) => r.body.status !== "running",
      20_000,
    );
    expect(done.body.status).toBe("engaged");
    expect(done.body.steps.map((s: { outcome: string }) => s.outcome)).toEqual(["engaged", "pending"]);
    expect(await getMessageByKey(planStepMessageKey(planId, 1))).toBeUndefined();
  });

  it("an in-app step not seen (or not deliverable) falls through to email", async () => {
    const started = await startPlan({
      messageId: "plan-in-app-unseen",
      contactId,
      steps: [
        { channel: "in_app", subject: "New reply", body: "Ann replied", waitSeconds: 2 },
        { channel: "email", subject: "New reply", body: "<p>Ann replied</p>" },
      ],
    });
    const done = await waitFor(() => plan(started.body.id), (r) => r.body.status !== "running", 20_000);
    expect(done.body.status).toBe("completed");
    // `failed` while no in-app provider is configured, `not_engaged` once one delivers it.
    expect(["failed", "not_engaged"]).toContain(done.body.steps[0].outcome);
    expect(done.body.steps[1].outcome).toBe("sent");
    expect(await outboxFor(done.body.steps[1].messageId)).toHaveLength(1);
  });

  it("skips a channel the contact has no address for", async () => {
    const [noPhone] = await database.db.insert(contacts).values({ workspaceId, email: "eve@example.com" }).returning();
    const started = await startPlan({
      messageId: "plan-no-phone",
      contactId: noPhone!.id,
      steps: [
        { channel: "sms", body: "Code 1", waitSeconds: 60 },
        { channel: "email", subject: "Code", body: "<p>Code 1</p>" },
      ],
    });
    const done = await waitFor(() => plan(started.body.id), (r) => r.body.status !== "running", 20_000);
    expect(done.body.steps[0]).toMatchObject({ outcome: "skipped", reason: "the contact has no phone", messageId: null });
    expect(done.body.steps[1].outcome).toBe("sent");
  });
});

describe("frequency caps", () => {
  it("suppresses the fourth marketing email of the day with the cap as its reason", async () => {
    expect((await setCategory("marketing", { cap: { limit: 3, periodSeconds: 86_400 } })).status).toBe(200);
    const before = await metrics().registry.metrics();
    const posted = await Promise.all(
      [1, 2, 3, 4].map((n) => notify({ messageId: `promo-${n}`, channel: "email", contactId, category: "marketing", subject: `Deal ${n}`, body: "<p>Deal</p>" })),
    );
    expect(posted.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const ids = posted.map((r) => r.body.id as string);
    const final = await waitFor(
      () => Promise.all(ids.map(async (id) => (await notification(id)).body)),
      (rows) => rows.every((row) => row.status === "sent" || row.status === "suppressed"),
      30_000,
    );
    expect(final.filter((row) => row.status === "sent")).toHaveLength(3);
    const capped = final.filter((row) => row.status === "suppressed");
    expect(capped).toHaveLength(1);
    expect(capped[0].error).toBe("Frequency cap: at most 3 email messages of category marketing per day");
    const after = await metrics().registry.metrics();
    const moved = (rule: string) => sampleSum(after, "sendline_delivery_rules_total", { rule, channel: "email" }) - sampleSum(before, "sendline_delivery_rules_total", { rule, channel: "email" });
    expect([moved("released"), moved("capped")]).toEqual([3, 1]);
  });

  it("refuses an unknown category, naming the workspace's", async () => {
    const response = await notify({ messageId: "cat-bad", channel: "email", contactId, category: "promos", subject: "s", body: "b" });
    expect(response.status).toBe(400);
    // Listed oldest first; these four were created together, so their order among them is the ids'.
    const [message] = response.body.error.fields.category as string[];
    expect(message).toMatch(/^unknown category "promos"; this workspace's categories are: /);
    expect(message!.split(": ")[1]!.split(", ").sort()).toEqual(["activity", "comments", "marketing", "security"]);
  });

  it("leaves plain notifications on the batched path", async () => {
    const queued = await notify({ messageId: "plain-1", channel: "email", contactId, subject: "Receipt", body: "<p>Thanks</p>" });
    await waitFor(() => notification(queued.body.id), (r) => r.body.status === "sent");
    const held = (await runsOf("deliver-with-rules")).filter((run) => (run.event as { data?: { messageId?: string } })?.data?.messageId === queued.body.id);
    expect(held).toEqual([]);
  });
});

describe("quiet hours", () => {
  it("hold a notification until they end, then send it; urgent categories go at once", async () => {
    const hms = (date: Date) => date.toISOString().slice(11, 19);
    const now = new Date();
    const end = new Date(Math.ceil((now.getTime() + 4_000) / 1000) * 1000);
    const set = await callRoute(routes.settings.PATCH, {
      method: "PATCH",
      path: "/api/v1/delivery-settings",
      apiKey,
      body: { quietHours: { start: hms(new Date(now.getTime() - 60_000)), end: hms(end) }, timezone: "UTC" },
    });
    expect(set.status).toBe(200);
    try {
      const held = await notify({ messageId: "quiet-1", channel: "sms", contactId, body: "Your parcel arrives tomorrow" });
      const urgent = await notify({ messageId: "quiet-urgent", channel: "sms", contactId, category: "security", body: "Your code is 123456" });
      await waitFor(() => notification(urgent.body.id), (r) => r.body.status === "sent");
      expect((await notification(held.body.id)).body.status).toBe("queued");
      const sent = await waitFor(() => notification(held.body.id), (r) => r.body.status === "sent", 20_000);
      expect(new Date(sent.body.timestamps.sentAt).getTime()).toBeGreaterThanOrEqual(end.getTime());
      expect(await outboxFor(held.body.id)).toHaveLength(1);
    } finally {
      await callRoute(routes.settings.PATCH, { method: "PATCH", path: "/api/v1/delivery-settings", apiKey, body: { quietHours: null } });
    }
  });

  it("refuses a time that is not a clock time", async () => {
    const response = await callRoute(routes.settings.PATCH, { method: "PATCH", path: "/api/v1/delivery-settings", apiKey, body: { quietHours: { start: "9pm", end: "08:00" } } });
    expect(response.status).toBe(400);
    expect(response.body.error.fields["quietHours.start"]).toEqual(["must be a local time like 21:00 (HH:MM or HH:MM:SS, 24-hour)"]);
  });
});

describe("digests", () => {
  it("sends five notifications of a category within the window as one message", async () => {
    await setCategory("activity", { digestWindowSeconds: 3 });
    const posted = [];
    for (const n of [1, 2, 3, 4, 5]) {
      posted.push(
        await notify({
          messageId: `activity-${n}`,
          channel: "email",
          contactId,
          category: "activity",
          subject: "{{ digest.count }} new updates",
          body: "<ul>{% for item in digest.items %}<li>{{ item.what }}</li>{% endfor %}</ul>",
          data: { what: `update ${n}` },
        }),
      );
    }
    expect(posted.map((r) => r.body.status)).toEqual(Array(5).fill("digested"));
    const digestId = posted[0]!.body.digestId as string;
    expect(new Set(posted.map((r) => r.body.digestId))).toEqual(new Set([digestId]));
    const listed = await callRoute(routes.digests.GET, { path: "/api/v1/digests", apiKey });
    expect(listed.body.data).toEqual([expect.objectContaining({ id: digestId, itemCount: 5, status: "pending" })]);

    const sent = await waitFor(() => callRoute(routes.digest.GET, { path: "/", apiKey, params: { id: digestId } }), (r) => r.body.messageId !== null, 20_000);
    expect(sent.body.status).toBe("sent");
    const outbox = await waitFor(() => outboxFor(sent.body.messageId), (rows) => rows.length > 0);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ subject: "5 new updates", html: "<ul><li>update 1</li><li>update 2</li><li>update 3</li><li>update 4</li><li>update 5</li></ul>" });
  });

  it("flushes a pending digest now, or cancels it", async () => {
    await setCategory("comments", { digestWindowSeconds: 3_600 });
    const comment = (n: number) =>
      notify({ messageId: `comment-${n}`, channel: "sms", contactId, category: "comments", body: "{{ digest.count }} new comments", data: { n } });
    const first = await comment(1);
    await comment(2);
    const flushed = await callRoute(routes.flush.POST, { method: "POST", path: "/", apiKey, params: { id: first.body.digestId } });
    expect(flushed.status).toBe(202);
    const sent = await waitFor(() => callRoute(routes.digest.GET, { path: "/", apiKey, params: { id: first.body.digestId } }), (r) => r.body.messageId !== null, 20_000);
    const outbox = await waitFor(() => outboxFor(sent.body.messageId), (rows) => rows.length > 0);
    expect(outbox.map((row) => row.text)).toEqual(["2 new comments"]);

    const next = await comment(3);
    expect(next.body.digestId).not.toBe(first.body.digestId);
    const cancelled = await callRoute(routes.digest.DELETE, { method: "DELETE", path: "/", apiKey, params: { id: next.body.digestId } });
    expect(cancelled.body).toMatchObject({ status: "cancelled", itemCount: 1 });
    const again = await callRoute(routes.flush.POST, { method: "POST", path: "/", apiKey, params: { id: next.body.digestId } });
    expect(again.status).toBe(409);
    // The run ends either way: cancelled while it waited, or finding the digest cancelled when it began.
    await waitFor(
      async () => (await runsOf("collect-digest")).find((r) => (r.event as { data?: { digestId?: string } })?.data?.digestId === next.body.digestId),
      (r) => r?.status === "cancelled" || r?.status === "completed",
    );
    const after = await callRoute(routes.digest.GET, { path: "/", apiKey, params: { id: next.body.digestId } });
    expect(after.body).toMatchObject({ status: "cancelled", messageId: null });
  });
});
