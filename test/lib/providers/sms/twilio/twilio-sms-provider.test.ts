import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";
import type { SmsMessage } from "@/lib/providers/sms/sms-provider";
import { TwilioSmsProvider, type TwilioSmsProviderOptions } from "@/lib/providers/sms/twilio/twilio-sms-provider";
import { type FakeTwilio, type FakeTwilioOptions, startFakeTwilio } from "@/test/fakes/fake-twilio";
import { rejectionOf } from "@/test/support/rejection";

const workspaceId = randomUUID();
const FROM = "+15005550006";
let fake: FakeTwilio;
let provider: TwilioSmsProvider;

async function start(options: FakeTwilioOptions = {}, overrides: Partial<TwilioSmsProviderOptions> = {}) {
  fake = await startFakeTwilio(options);
  provider = new TwilioSmsProvider({ accountSid: fake.accountSid, authToken: fake.authToken, from: FROM, baseUrl: fake.url, ...overrides });
}
beforeEach(() => start());
afterEach(() => fake.stop());

function sms(overrides: Partial<SmsMessage> = {}): SmsMessage {
  return { workspaceId, messageId: randomUUID(), to: "+447700900123", body: "Your code is 123456", ...overrides };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe("TwilioSmsProvider.send", () => {
  it("creates a message with a form-encoded POST under Basic auth and returns Twilio's SID and segments", async () => {
    const message = sms({ body: "é".repeat(10) + "ł" });
    const result = await provider.send(message, { idempotencyKey: "otp/1" });

    expect(fake.messages).toHaveLength(1);
    const [created] = fake.messages;
    expect(created).toMatchObject({ sid: result.providerMessageId, to: message.to, from: FROM, body: message.body, idempotencyKey: "otp/1" });
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.segments).toBe(1);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, status: 201 });
  });

  it("reports Twilio's segment count for a long body", async () => {
    const result = await provider.send(sms({ body: "a".repeat(161) }), { idempotencyKey: "long" });
    expect(result.segments).toBe(2);
  });

  it("uses the message's own sender, and a Messaging Service SID as MessagingServiceSid", async () => {
    await provider.send(sms({ from: "+15005550001" }), { idempotencyKey: "a" });
    await provider.send(sms({ from: "MG0123456789abcdef0123456789abcdef" }), { idempotencyKey: "b" });

    expect(fake.messages[0]).toMatchObject({ from: "+15005550001", messagingServiceSid: null });
    expect(fake.messages[1]).toMatchObject({ from: null, messagingServiceSid: "MG0123456789abcdef0123456789abcdef" });
  });

  it("asks for status callbacks carrying the message and workspace ids", async () => {
    await fake.stop();
    await start({}, { statusCallbackUrl: "https://app.sendline.test/api/webhooks/twilio?v=1" });
    const message = sms();
    await provider.send(message, { idempotencyKey: "cb" });

    const callback = new URL(fake.messages[0]!.statusCallback!);
    expect(callback.origin + callback.pathname).toBe("https://app.sendline.test/api/webhooks/twilio");
    expect(Object.fromEntries(callback.searchParams)).toEqual({ v: "1", messageId: message.messageId, workspaceId });
  });

  it("sends no StatusCallback when none is configured", async () => {
    await provider.send(sms(), { idempotencyKey: "no-cb" });
    expect(fake.messages[0]!.statusCallback).toBeNull();
  });

  it("maps 429 / 20429 to rate-limited with a default delay (Twilio sends no Retry-After)", async () => {
    await fake.stop();
    await start({ rateLimit: { requests: 1, windowMs: 60_000 } });
    await provider.send(sms(), { idempotencyKey: "1" });
    const error = await failure(provider.send(sms(), { idempotencyKey: "2" }));

    expect(error).toMatchObject({ kind: "rate-limited", details: { provider: "twilio", status: 429, code: "20429", retryAfterMs: 1_000 } });
    expect(fake.messages).toHaveLength(1);
  });

  it("maps a 500 to transient", async () => {
    fake.failNext(1, { status: 500 });
    const error = await failure(provider.send(sms(), { idempotencyKey: "x" }));
    expect(error).toMatchObject({ kind: "transient", details: { status: 500 } });
  });

  it("maps an invalid number (400 / 21211) to permanent", async () => {
    const error = await failure(provider.send(sms({ to: "0770 090 0123" }), { idempotencyKey: "x" }));
    expect(error).toMatchObject({ kind: "permanent", details: { status: 400, code: "21211" } });
    expect(error.message).toContain("Invalid 'To' Phone Number");
  });

  it("maps wrong credentials (401 / 20003) to permanent", async () => {
    const wrong = new TwilioSmsProvider({ accountSid: fake.accountSid, authToken: "wrong", from: FROM, baseUrl: fake.url });
    const error = await failure(wrong.send(sms(), { idempotencyKey: "x" }));
    expect(error).toMatchObject({ kind: "permanent", details: { status: 401, code: "20003" } });
  });

  it("maps a hung request to transient once the timeout passes", async () => {
    await fake.stop();
    await start({}, { timeoutMs: 200 });
    fake.failNext(1, { hang: true });
    const error = await failure(provider.send(sms(), { idempotencyKey: "x" }));
    expect(error).toMatchObject({ kind: "transient", details: { code: "timeout" } });
  });

  it("maps a refused connection to transient", async () => {
    await fake.stop();
    const error = await failure(provider.send(sms(), { idempotencyKey: "x" }));
    expect(error).toMatchObject({ kind: "transient", details: { code: "network" } });
    await start();
  });

  it("does not pretend Twilio de-duplicates: a repeated key sends again and the fake counts it", async () => {
    const message = sms();
    await provider.send(message, { idempotencyKey: "same" });
    await provider.send(message, { idempotencyKey: "same" });
    expect(fake.messages).toHaveLength(2);
    expect(fake.counters.duplicates).toBe(1);
  });
});

describe("TwilioSmsProvider.getStatus", () => {
  it("maps Twilio's message status and says null for an unknown SID", async () => {
    const { providerMessageId } = await provider.send(sms(), { idempotencyKey: "s" });
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("sent");

    fake.setStatus(providerMessageId, "delivered");
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("delivered");
    fake.setStatus(providerMessageId, "undelivered");
    expect(await provider.getStatus({ workspaceId, providerMessageId })).toBe("failed");
    expect(await provider.getStatus({ workspaceId, providerMessageId: "SM00000000000000000000000000000000" })).toBeNull();
  });
});
