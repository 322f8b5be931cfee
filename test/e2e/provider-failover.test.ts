import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listProviderBreakers } from "@/db/queries/provider-breakers";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeResend, startFakeResend } from "@/test/fakes/fake-resend";
import { type FakeSmtp, startFakeSmtp } from "@/test/fakes/fake-smtp";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * Provider failover end to end through the local engine: Resend answers 500s, so its breaker
 * opens and SMTP (a real SMTP server on loopback) sends every message exactly once; after the
 * cool-down, with Resend healthy again, one half-open trial succeeds and the breaker closes.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let notifications: typeof import("@/app/api/v1/notifications/route");
let notificationDetail: typeof import("@/app/api/v1/notifications/[id]/route");
let database: Database;
let resend: FakeResend;
let smtp: FakeSmtp;
let apiKey: string;

const ENV = ["EMAIL_PROVIDERS", "RESEND_API_KEY", "RESEND_BASE_URL", "SMTP_URL", "PROVIDER_BREAKER_FAILURES", "PROVIDER_BREAKER_COOLDOWN_MS"] as const;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Failover E2E" }));
  resend = await startFakeResend({ rateLimit: false });
  smtp = await startFakeSmtp();
  Object.assign(process.env, {
    EMAIL_PROVIDERS: "resend,smtp",
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    SMTP_URL: smtp.url,
    PROVIDER_BREAKER_FAILURES: "3",
    PROVIDER_BREAKER_COOLDOWN_MS: "5000",
  });
  app = await startAppEngine();
  notifications = await import("@/app/api/v1/notifications/route");
  notificationDetail = await import("@/app/api/v1/notifications/[id]/route");
});
afterAll(async () => {
  for (const name of ENV) delete process.env[name];
  await app?.stop();
  await Promise.all([resend?.stop(), smtp?.stop()]);
  await database?.close();
});

const post = (body: Record<string, unknown>) => callRoute(notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const detail = (id: string) => callRoute(notificationDetail.GET, { path: "/", apiKey, params: { id } });
const resendBreaker = async () => (await listProviderBreakers(database.db, { keys: ["email:resend"] }))[0];

describe("email provider failover through the engine", () => {
  it("sends through SMTP while Resend answers 500s, each message once; the breaker opens, then closes after the cool-down", async () => {
    resend.failNext(1_000, { status: 500 });
    // One at a time, so each is its own batch and its own provider call: three refusals open the breaker.
    const sent = [];
    for (let i = 0; i < 5; i++) {
      const queued = await post({ messageId: `failover-${i}`, channel: "email", to: `r${i}@example.com`, subject: "s", body: `<p>${i}</p>` });
      sent.push(await waitFor(() => detail(queued.body.id), (response) => response.body.status === "sent", 30_000));
    }
    for (const [i, response] of sent.entries()) {
      expect(response.body).toMatchObject({ provider: "smtp" });
      expect(smtp.messages.filter((m) => m.to.includes(`r${i}@example.com`))).toHaveLength(1);
    }
    expect(resend.emails).toHaveLength(0);
    expect(smtp.duplicateSends()).toEqual([]);
    expect(await resendBreaker()).toMatchObject({ state: "open" });

    // Resend recovers; after the cool-down the next message is Resend's half-open trial.
    const refused = resend.counters.injectedFailures;
    resend.heal();
    // The open breaker kept the last two away from Resend.
    expect(refused).toBe(3);
    await waitFor(resendBreaker, (row) => Date.now() - row!.openedAt!.getTime() > 5_100, 15_000);
    const later = await post({ messageId: "failover-after", channel: "email", to: "after@example.com", subject: "s", body: "b" });
    const after = await waitFor(() => detail(later.body.id), (response) => response.body.status === "sent", 20_000);
    expect(after.body).toMatchObject({ provider: "resend" });
    expect(await resendBreaker()).toMatchObject({ state: "closed", failures: 0 });
    expect(resend.emails.filter((email) => email.to.includes("after@example.com"))).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.to.includes("after@example.com"))).toHaveLength(0);
  }, 90_000);
});
