import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";
import { TwilioWhatsAppProvider } from "@/lib/providers/whatsapp/twilio/twilio-whatsapp-provider";
import type { WhatsAppContent, WhatsAppMessage } from "@/lib/providers/whatsapp/whatsapp-provider";
import { type FakeTwilio, startFakeTwilio } from "@/test/fakes/fake-twilio";
import { rejectionOf } from "@/test/support/rejection";

const workspaceId = randomUUID();
const CONTENT_SID = `HX${"0a".repeat(16)}`;
let fake: FakeTwilio;
let provider: TwilioWhatsAppProvider;

beforeEach(async () => {
  fake = await startFakeTwilio();
  provider = new TwilioWhatsAppProvider({ accountSid: fake.accountSid, authToken: fake.authToken, from: "+14155238886", baseUrl: fake.url, statusCallbackUrl: "https://app.sendline.test/api/webhooks/twilio" });
});
afterEach(() => fake.stop());

function message(content: WhatsAppContent): WhatsAppMessage {
  return { workspaceId, messageId: randomUUID(), to: "+447700900123", content };
}
const failure = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe("TwilioWhatsAppProvider.send", () => {
  it("sends a session message as a Body between whatsapp: addresses, with the status callback carrying our ids", async () => {
    const sent = message({ type: "text", body: "Your table is ready" });
    const result = await provider.send(sent, { idempotencyKey: "msg_1" });

    expect(fake.messages).toEqual([expect.objectContaining({ sid: result.providerMessageId, to: "whatsapp:+447700900123", from: "whatsapp:+14155238886", body: "Your table is ready", contentSid: null })]);
    const callback = new URL(fake.messages[0]!.statusCallback!);
    expect(callback.searchParams.get("messageId")).toBe(sent.messageId);
    expect(callback.searchParams.get("workspaceId")).toBe(workspaceId);
  });

  it("sends a template as Twilio Content with numbered variables", async () => {
    await provider.send(message({ type: "template", name: CONTENT_SID, language: "en_US", variables: ["Ada", "#1042"] }), { idempotencyKey: "msg_2" });
    expect(fake.messages[0]).toMatchObject({ contentSid: CONTENT_SID, contentVariables: { "1": "Ada", "2": "#1042" }, body: "" });
  });

  it("refuses a template named by Meta's name, without calling Twilio", async () => {
    const error = await failure(provider.send(message({ type: "template", name: "order_shipped", language: "en_US", variables: [] }), { idempotencyKey: "k" }));
    expect(error).toMatchObject({ kind: "permanent", details: { code: "content_sid_required" } });
    expect(fake.counters.requests).toBe(0);
  });

  it("maps Twilio's refusals and outages like SMS: 5xx transient, 429 rate-limited, bad credentials permanent", async () => {
    fake.failNext(1, { status: 503 });
    expect(await failure(provider.send(message({ type: "text", body: "x" }), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient" });
    fake.failNext(1, { status: 429 });
    expect(await failure(provider.send(message({ type: "text", body: "x" }), { idempotencyKey: "k" }))).toMatchObject({ kind: "rate-limited" });
    const wrong = new TwilioWhatsAppProvider({ accountSid: fake.accountSid, authToken: "wrong", from: "+14155238886", baseUrl: fake.url });
    expect(await failure(wrong.send(message({ type: "text", body: "x" }), { idempotencyKey: "k" }))).toMatchObject({ kind: "permanent", details: { status: 401 } });
  });
});
