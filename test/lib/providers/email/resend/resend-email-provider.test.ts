import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmailMessage } from "@/lib/providers/email/email-provider";
import { RESEND_BATCH_LIMIT, ResendEmailProvider, SENDLINE_HEADERS } from "@/lib/providers/email/resend/resend-email-provider";
import { ProviderError } from "@/lib/providers/errors";
import { type FakeResend, type FakeResendOptions, startFakeResend } from "@/test/fakes/fake-resend";
import { rejectionOf } from "@/test/support/rejection";

const workspaceId = randomUUID();
let fake: FakeResend;
let provider: ResendEmailProvider;

async function start(options: FakeResendOptions = { rateLimit: false }, timeoutMs?: number) {
  fake = await startFakeResend(options);
  provider = new ResendEmailProvider({ apiKey: fake.apiKey, baseUrl: fake.url, timeoutMs });
}
beforeEach(() => start());
afterEach(() => fake.stop());

function email(overrides: Partial<EmailMessage> = {}): EmailMessage {
  return {
    workspaceId,
    messageId: randomUUID(),
    campaignId: null,
    from: "Sendline <hello@sendline.test>",
    to: "ann@example.com",
    replyTo: "support@sendline.test",
    subject: "Your receipt",
    html: "<p>Thanks</p>",
    text: "Thanks",
    headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    ...overrides,
  };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe("ResendEmailProvider.send", () => {
  it("delivers the rendered email through the SDK with ids as tags and headers for webhooks", async () => {
    const message = email({ campaignId: randomUUID() });
    const { providerMessageId } = await provider.send(message, { idempotencyKey: "welcome/1" });

    expect(fake.emails).toHaveLength(1);
    const [sent] = fake.emails;
    expect(sent).toMatchObject({
      id: providerMessageId,
      idempotencyKey: "welcome/1",
      from: message.from,
      to: [message.to],
      replyTo: [message.replyTo],
      subject: message.subject,
      html: message.html,
      text: message.text,
      headers: {
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        [SENDLINE_HEADERS.messageId]: message.messageId,
        [SENDLINE_HEADERS.workspaceId]: workspaceId,
        [SENDLINE_HEADERS.campaignId]: message.campaignId,
      },
    });
    expect(sent!.tags).toEqual([
      { name: "message_id", value: message.messageId },
      { name: "workspace_id", value: workspaceId },
      { name: "campaign_id", value: message.campaignId },
    ]);
  });

  it("sends once per idempotency key: a retry gets the first id back and the fake accepts one email", async () => {
    const message = email();
    const first = await provider.send(message, { idempotencyKey: "receipt/42" });
    const retry = await provider.send(message, { idempotencyKey: "receipt/42" });

    expect(retry).toEqual(first);
    expect(fake.emails).toHaveLength(1);
    expect(fake.counters).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(fake.duplicateSends()).toEqual([]);
  });

  it("survives a timeout after the provider accepted: the retry with the same key does not send again", async () => {
    await fake.stop();
    await start({ rateLimit: false }, 300);
    const message = email();
    fake.failNext(1, { hang: true, afterAccept: true });

    const timedOut = await failure(provider.send(message, { idempotencyKey: "lost-answer" }));
    const retry = await provider.send(message, { idempotencyKey: "lost-answer" });

    expect(timedOut).toMatchObject({ kind: "transient", details: { provider: "resend", code: "timeout" } });
    expect(fake.emails.map((e) => e.id)).toEqual([retry.providerMessageId]);
  });

  it("maps 429 to rate-limited with the provider's retry-after delay", async () => {
    await fake.stop();
    await start({ rateLimit: { requests: 1, windowMs: 5_000 } });
    await provider.send(email(), { idempotencyKey: "first" });

    const error = await failure(provider.send(email(), { idempotencyKey: "second" }));

    expect(error.kind).toBe("rate-limited");
    expect(error.details).toMatchObject({ provider: "resend", status: 429, code: "rate_limit_exceeded", retryAfterMs: 5_000 });
    expect(fake.counters).toMatchObject({ accepted: 1, rateLimited: 1 });
  });

  it("maps a 500 to transient, and the retry after it sends exactly once", async () => {
    fake.failNext(1, { status: 500 });
    const message = email();

    const error = await failure(provider.send(message, { idempotencyKey: "flaky" }));
    await provider.send(message, { idempotencyKey: "flaky" });

    expect(error).toMatchObject({ kind: "transient", details: { status: 500 } });
    expect(fake.emails).toHaveLength(1);
  });

  it("maps a 422 validation error to permanent", async () => {
    const error = await failure(provider.send(email({ to: "not an address" }), { idempotencyKey: "bad-address" }));

    expect(error).toMatchObject({ kind: "permanent", details: { status: 422, code: "validation_error" } });
    expect(fake.emails).toHaveLength(0);
  });

  it("maps a hung request to transient once the timeout passes", async () => {
    await fake.stop();
    await start({ rateLimit: false }, 200);
    fake.failNext(1, { hang: true });

    const started = performance.now();
    const error = await failure(provider.send(email(), { idempotencyKey: "hang" }));

    expect(error).toMatchObject({ kind: "transient", details: { code: "timeout" } });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(fake.emails).toHaveLength(0);
  });

  it("maps a refused connection to transient", async () => {
    await fake.stop();
    const nowhere = new ResendEmailProvider({ apiKey: fake.apiKey, baseUrl: fake.url });
    const error = await failure(nowhere.send(email(), { idempotencyKey: "offline" }));

    expect(error.kind).toBe("transient");
    await start();
  });

  it("maps a wrong API key to permanent", async () => {
    const wrongKey = new ResendEmailProvider({ apiKey: "re_wrong", baseUrl: fake.url });
    const error = await failure(wrongKey.send(email(), { idempotencyKey: "k" }));

    expect(error).toMatchObject({ kind: "permanent", details: { status: 403, code: "invalid_api_key" } });
  });

  it("maps a key reused for a different payload to permanent", async () => {
    await provider.send(email(), { idempotencyKey: "reused" });
    const error = await failure(provider.send(email({ subject: "Something else" }), { idempotencyKey: "reused" }));

    expect(error).toMatchObject({ kind: "permanent", details: { status: 409, code: "invalid_idempotent_request" } });
    expect(fake.emails).toHaveLength(1);
  });
});

describe("ResendEmailProvider.sendBatch", () => {
  it("delivers up to 100 emails in one call and gives each its own provider id", async () => {
    const messages = Array.from({ length: RESEND_BATCH_LIMIT }, (_, n) => email({ to: `reader${n}@example.com` }));
    const results = await provider.sendBatch(messages, { idempotencyKey: "campaign/1/part/0" });

    expect(fake.requests.filter((r) => r.path === "/emails/batch")).toHaveLength(1);
    expect(fake.emails).toHaveLength(100);
    results.forEach((result, index) => {
      const sent = fake.emails[index]!;
      expect(result).toEqual({ ok: true, providerMessageId: sent.id, provider: "resend" });
      expect(sent.to).toEqual([messages[index]!.to]);
      expect(sent.headers[SENDLINE_HEADERS.messageId]).toBe(messages[index]!.messageId);
    });
  });

  it("sends a retried part once: same key, same ids, no new emails", async () => {
    const messages = [1, 2, 3].map((n) => email({ to: `r${n}@example.com` }));
    const first = await provider.sendBatch(messages, { idempotencyKey: "part/7" });
    const retry = await provider.sendBatch(messages, { idempotencyKey: "part/7" });

    expect(retry).toEqual(first);
    expect(fake.emails).toHaveLength(3);
    expect(fake.counters.duplicates).toBe(1);
    expect(fake.duplicateSends()).toEqual([]);
  });

  it("fails only the invalid recipient's slot and sends the rest", async () => {
    const messages = [email({ to: "a@example.com" }), email({ to: "broken" }), email({ to: "c@example.com" })];
    const results = await provider.sendBatch(messages, { idempotencyKey: "partial" });

    expect(results[0]).toEqual({ ok: true, providerMessageId: fake.emails[0]!.id, provider: "resend" });
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringContaining("broken") });
    expect(results[2]).toEqual({ ok: true, providerMessageId: fake.emails[1]!.id, provider: "resend" });
    expect(fake.emails.map((e) => e.to)).toEqual([["a@example.com"], ["c@example.com"]]);
  });

  it("refuses more than 100 emails with a clear error before calling Resend", async () => {
    const messages = Array.from({ length: RESEND_BATCH_LIMIT + 1 }, () => email());
    const error = await failure(provider.sendBatch(messages, { idempotencyKey: "too-big" }));

    expect(error.message).toMatch(/at most 100 emails, got 101/);
    expect(error).toMatchObject({ kind: "permanent", details: { code: "batch_too_large" } });
    expect(fake.counters.requests).toBe(0);
  });

  it("maps a rate-limited batch to rate-limited with the retry delay, sending nothing", async () => {
    await fake.stop();
    await start({ rateLimit: { requests: 1, windowMs: 2_000 } });
    await provider.sendBatch([email()], { idempotencyKey: "part/a" });
    const error = await failure(provider.sendBatch([email(), email()], { idempotencyKey: "part/b" }));

    expect(error).toMatchObject({ kind: "rate-limited", details: { retryAfterMs: 2_000 } });
    expect(fake.emails).toHaveLength(1);
  });

  it("maps a 500 on a batch to transient", async () => {
    fake.failNext(1);
    const error = await failure(provider.sendBatch([email()], { idempotencyKey: "part/500" }));
    expect(error).toMatchObject({ kind: "transient", details: { status: 500 } });
  });
});

describe("ResendEmailProvider.getStatus", () => {
  it("reads last_event from GET /emails/:id and says null for an unknown id", async () => {
    const { providerMessageId } = await provider.send(email(), { idempotencyKey: "status" });
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("sent");

    fake.setLastEvent(providerMessageId, "bounced");
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("bounced");
    expect(await provider.getStatus({ workspaceId, providerMessageId: randomUUID() })).toBeNull();
  });
});
