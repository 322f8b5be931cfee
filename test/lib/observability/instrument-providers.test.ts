import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { instrumentPushProvider } from "@/lib/observability/instrument-providers";
import { metrics } from "@/lib/observability/metrics";
import { ProviderError } from "@/lib/providers/errors";
import { createProviders } from "@/lib/providers/create-providers";
import { createPushProvider } from "@/lib/providers/push/create-push-provider";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { startFakeWebPush } from "@/test/fakes/fake-web-push";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";

let database: Database;
let resend: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  database = await useTestDatabase();
  resend = await startFakeResend({ rateLimit: false });
});
afterAll(async () => {
  await resend.stop();
  await database.close();
});

const email = { workspaceId: "00000000-0000-0000-0000-000000000001", messageId: "m-1", from: "a@example.com", to: "b@example.com", subject: "s", html: "<p>h</p>", text: "h" };
const scrape = () => metrics().registry.metrics();

/** Providers as functions get them: through the factory, which measures every channel. */
const providers = () => createProviders(database.db, { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url });

describe("providers, measured at their factory", () => {
  it("counts sent messages and times each call by outcome", async () => {
    const before = await scrape();
    await providers().email.send({ ...email, messageId: "m-ok" }, { idempotencyKey: "k-ok" });
    const after = await scrape();
    const labels = { channel: "email", provider: "resend", operation: "send", outcome: "ok" };
    expect(sampleSum(after, "sendline_provider_request_duration_seconds_count", labels) - sampleSum(before, "sendline_provider_request_duration_seconds_count", labels)).toBe(1);
    expect(sampleSum(after, "sendline_messages_total", { channel: "email", provider: "resend", status: "sent" }) - sampleSum(before, "sendline_messages_total", { channel: "email", provider: "resend", status: "sent" })).toBe(1);
  });

  it("counts a 429 as a rate limit and an error of kind rate_limited, and passes the ProviderError on unchanged", async () => {
    const before = await scrape();
    resend.failNext(1, { status: 429 });
    const failure = await providers().email.send({ ...email, messageId: "m-429" }, { idempotencyKey: "k-429" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).kind).toBe("rate-limited");
    const after = await scrape();
    const moved = (name: string, labels: Record<string, string>) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(moved("sendline_provider_rate_limits_total", { channel: "email", provider: "resend" })).toBe(1);
    expect(moved("sendline_provider_errors_total", { channel: "email", provider: "resend", kind: "rate_limited" })).toBe(1);
    expect(moved("sendline_provider_request_duration_seconds_count", { operation: "send", outcome: "rate_limited" })).toBe(1);
    expect(moved("sendline_messages_total", { channel: "email", provider: "resend", status: "failed" })).toBe(1);
  });

  it("counts each message of a batch by its own outcome", async () => {
    const before = await scrape();
    const results = await providers().email.sendBatch(
      [
        { ...email, messageId: "b-1", to: "one@example.com" },
        { ...email, messageId: "b-2", to: "two@example.com" },
      ],
      { idempotencyKey: "batch-1" },
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const after = await scrape();
    expect(sampleSum(after, "sendline_messages_total", { provider: "resend", status: "sent" }) - sampleSum(before, "sendline_messages_total", { provider: "resend", status: "sent" })).toBe(2);
    expect(sampleSum(after, "sendline_provider_request_duration_seconds_count", { operation: "send_batch" }) - sampleSum(before, "sendline_provider_request_duration_seconds_count", { operation: "send_batch" })).toBe(1);
    // How well sends are batched: one call of two messages.
    const batchLabels = { channel: "email", provider: "resend" };
    expect(sampleSum(after, "sendline_provider_batch_size_count", batchLabels) - sampleSum(before, "sendline_provider_batch_size_count", batchLabels)).toBe(1);
    expect(sampleSum(after, "sendline_provider_batch_size_sum", batchLabels) - sampleSum(before, "sendline_provider_batch_size_sum", batchLabels)).toBe(2);
  });

  it("keeps the provider's name, which messages record", () => {
    expect(providers().email.name).toBe("resend");
    expect(providers().sms.name).toBe("outbox");
  });
});

describe("push providers, measured per device", () => {
  it("counts each device's answer by result and times the call", async () => {
    const fake = await startFakeWebPush();
    try {
      const keys = webpush.generateVAPIDKeys();
      const env = { WEB_PUSH_TEST_CA: fake.certificate, WEB_PUSH_VAPID_PUBLIC_KEY: keys.publicKey, WEB_PUSH_VAPID_PRIVATE_KEY: keys.privateKey };
      const push = createPushProvider(database.db, env, instrumentPushProvider);
      const notification = { workspaceId: email.workspaceId, messageId: "0f0e0d0c-0b0a-4909-8807-060504030201", title: "t", body: "b", url: null, reportUrl: "https://x.example/t/push/t" };
      const live = fake.subscribe();
      const gone = fake.subscribe();
      fake.expire(gone.endpoint);
      const device = (subscription: typeof live) => ({ id: "d", kind: "web_push" as const, address: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, label: null });
      const before = await scrape();
      await push.send(notification, device(live), { idempotencyKey: "k" });
      await expect(push.send(notification, device(gone), { idempotencyKey: "k" })).rejects.toBeInstanceOf(ProviderError);
      const after = await scrape();
      const delta = (result: string) => sampleSum(after, "sendline_push_device_results_total", { provider: "web-push", result }) - sampleSum(before, "sendline_push_device_results_total", { provider: "web-push", result });
      expect([delta("accepted"), delta("expired")]).toEqual([1, 1]);
      const timed = { channel: "push", provider: "web-push", operation: "send", outcome: "ok" };
      expect(sampleSum(after, "sendline_provider_request_duration_seconds_count", timed) - sampleSum(before, "sendline_provider_request_duration_seconds_count", timed)).toBe(1);
    } finally {
      await fake.stop();
    }
  });
});
