import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { suppress } from "@/db/queries/suppressions";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * The notification flow end to end through the local engine: the real API route sends the
 * event, the engine runs the real function through the app's real serve() route, and the
 * message lands in the outbox (or the fake Resend) exactly once.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let notifications: typeof import("@/app/api/v1/notifications/route");
let notificationDetail: typeof import("@/app/api/v1/notifications/[id]/route");
let database: Database;
let apiKey: string;
let workspaceId: string;

const SEND_FN = "sendline-send-notification";

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "E2E" }));
  app = await startAppEngine();
  notifications = await import("@/app/api/v1/notifications/route");
  notificationDetail = await import("@/app/api/v1/notifications/[id]/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const post = (body: Record<string, unknown>) => callRoute(notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const outboxFor = (messageId: string) => listOutboxMessages(database.db, { workspaceId, filter: { messageId }, limit: 10 });
const runsFor = async (messageId: string) =>
  (await app.engine.listRuns({ fnId: SEND_FN })).filter((run) => (run.event as { data?: { messageId?: string } })?.data?.messageId === messageId);

describe("notifications through the engine", () => {
  it("delivers a notification posted twice (even concurrently) exactly once", async () => {
    const request = { messageId: "e2e-1", channel: "email", to: "ann@example.com", subject: "Hi {{ name }}", body: "<p>Hello {{ name }}</p>", data: { name: "Ann" } };
    const started = Date.now();
    const [first, second] = await Promise.all([post(request), post(request)]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.id).toBe(first.body.id);

    const outbox = await waitFor(() => outboxFor(first.body.id), (rows) => rows.length > 0);
    console.log(`notification reached the outbox in ${Date.now() - started} ms`);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ subject: "Hi Ann", html: "<p>Hello Ann</p>" });

    // The outbox row is written inside the send step, a moment before the message is marked
    // sent: the third post comes once the run has finished.
    const runs = await waitFor(() => runsFor(first.body.id), (rows) => rows.length > 0 && rows.every((run) => run.status === "completed"));
    expect(runs).toHaveLength(1);
    const third = await post(request);
    expect(third.body).toMatchObject({ id: first.body.id, status: "sent" });
    expect(await runsFor(first.body.id)).toHaveLength(1);
    expect((await outboxFor(first.body.id)).length).toBe(1);
  });

  it("replaying a completed run sends nothing new", async () => {
    const queued = await post({ messageId: "e2e-replay", channel: "sms", to: "+14155550123", body: "Code {{ c }}", data: { c: 7 } });
    const [run] = await waitFor(() => runsFor(queued.body.id), (rows) => rows[0]?.status === "completed");
    const replayId = await app.engine.replay(run!.id);
    const replay = await waitFor(() => app.engine.getRun(replayId!), (row) => row?.status === "completed");
    expect(replay!.output).toMatchObject({ sent: 0, skipped: 1 });
    expect(await outboxFor(queued.body.id)).toHaveLength(1);
  });

  it("does not send to a suppressed address", async () => {
    await suppress(database.db, { workspaceId, channel: "email", address: "gone@example.com", reason: "hard_bounce" });
    const queued = await post({ messageId: "e2e-suppressed", channel: "email", to: "gone@example.com", subject: "s", body: "b" });
    const status = await waitFor(
      () => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id: queued.body.id } }),
      (response) => response.body.status !== "queued",
    );
    expect(status.body.status).toBe("suppressed");
    expect(await outboxFor(queued.body.id)).toHaveLength(0);
  });

  it("fails a message whose template cannot render, after one attempt, without failing its batch", async () => {
    const queued = await post({ messageId: "e2e-bad", channel: "email", to: "a@example.com", subject: "s", body: "{{ nope }}" });
    const [run] = await waitFor(() => runsFor(queued.body.id), (rows) => rows[0]?.status === "completed");
    expect(run!.output).toMatchObject({ failed: 1 });
    expect(Object.values(run!.step_attempts)).toEqual([]);
    const status = await callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id: queued.body.id } });
    expect(status.body).toMatchObject({ status: "failed", error: "template variable `nope` is undefined in the body, line 1" });
  });

  describe("through the Resend SDK against a fake Resend", () => {
    let resend: Awaited<ReturnType<typeof startFakeResend>>;
    beforeAll(async () => {
      resend = await startFakeResend({ rateLimit: false });
      Object.assign(process.env, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });
    });
    afterAll(async () => {
      delete process.env.RESEND_API_KEY;
      delete process.env.RESEND_BASE_URL;
      await resend.stop();
    });

    it("sends once when the provider accepted but the answer was lost, and records the provider id", async () => {
      // The first call is accepted by "Resend" but its answer is lost: the step retries with
      // the same idempotency key, and Resend answers from its idempotency store.
      resend.failNext(1, { status: 500, afterAccept: true });
      const queued = await post({ messageId: "e2e-resend", channel: "email", to: "bo@example.com", subject: "s", body: "<b>b</b>" });
      const status = await waitFor(
        () => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id: queued.body.id } }),
        (response) => response.body.status === "sent",
      );
      expect(resend.emails.filter((email) => email.to.includes("bo@example.com"))).toHaveLength(1);
      expect(status.body).toMatchObject({ provider: "resend", providerMessageId: resend.emails.at(-1)!.id });
    });

    it("retries a provider outage and delivers once", async () => {
      resend.failNext(2, { status: 503 });
      const queued = await post({ messageId: "e2e-outage", channel: "email", to: "cy@example.com", subject: "s", body: "b" });
      await waitFor(
        () => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id: queued.body.id } }),
        (response) => response.body.status === "sent",
        30_000,
      );
      expect(resend.emails.filter((email) => email.to.includes("cy@example.com"))).toHaveLength(1);
    });
  });
});
