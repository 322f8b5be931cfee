import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";
import { MetaWhatsAppProvider } from "@/lib/providers/whatsapp/meta/meta-whatsapp-provider";
import type { WhatsAppContent, WhatsAppMessage } from "@/lib/providers/whatsapp/whatsapp-provider";
import { type FakeWhatsApp, startFakeWhatsApp } from "@/test/fakes/fake-whatsapp";
import { rejectionOf } from "@/test/support/rejection";

const workspaceId = randomUUID();
const TEMPLATES = [
  { name: "order_shipped", language: "en_US", bodyParameters: 2 },
  { name: "hello_world", language: "en_US", bodyParameters: 0 },
];
let fake: FakeWhatsApp;
let provider: MetaWhatsAppProvider;

beforeEach(async () => {
  fake = await startFakeWhatsApp({ templates: TEMPLATES });
  provider = new MetaWhatsAppProvider({ accessToken: fake.accessToken, phoneNumberId: fake.phoneNumberId, apiVersion: fake.apiVersion, baseUrl: fake.url });
});
afterEach(() => fake.stop());

function message(content: WhatsAppContent): WhatsAppMessage {
  return { workspaceId, messageId: randomUUID(), to: "+447700900123", content };
}
const template = (name: string, variables: string[], language = "en_US"): WhatsAppContent => ({ type: "template", name, language, variables });
const failure = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe("MetaWhatsAppProvider.send", () => {
  it("sends a template by name and language with its body parameters, and returns the wamid", async () => {
    const result = await provider.send(message(template("order_shipped", ["Ada", "#1042"])), { idempotencyKey: "msg_1" });

    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(fake.messages).toEqual([
      expect.objectContaining({ id: result.providerMessageId, to: "447700900123", type: "template", template: { name: "order_shipped", language: "en_US", parameters: ["Ada", "#1042"] }, idempotencyKey: "msg_1" }),
    ]);
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: `/${fake.apiVersion}/${fake.phoneNumberId}/messages`, status: 200 });
  });

  it("sends a template without variables with no body component", async () => {
    await provider.send(message(template("hello_world", [])), { idempotencyKey: "msg_2" });
    expect(fake.messages[0]!.template).toEqual({ name: "hello_world", language: "en_US", parameters: [] });
  });

  it("sends free text as a text message", async () => {
    await provider.send(message({ type: "text", body: "Your table is ready" }), { idempotencyKey: "msg_3" });
    expect(fake.messages[0]).toMatchObject({ type: "text", text: "Your table is ready", template: null });
  });

  it("fails permanently with Meta's reason for an unknown template (132001)", async () => {
    const error = await failure(provider.send(message(template("no_such_template", [])), { idempotencyKey: "k" }));
    expect(error).toMatchObject({ kind: "permanent", details: { provider: "meta", status: 400, code: "132001" } });
    expect(error.message).toContain("Template name does not exist in the translation");
    expect(error.message).toContain("(code 132001)");
    expect(fake.messages).toHaveLength(0);
  });

  it("fails permanently for a template in a language it was not approved in", async () => {
    const error = await failure(provider.send(message(template("order_shipped", ["a", "b"], "fr")), { idempotencyKey: "k" }));
    expect(error).toMatchObject({ kind: "permanent", details: { code: "132001" } });
  });

  it("fails permanently with the counts when the parameter count is wrong (132000)", async () => {
    const error = await failure(provider.send(message(template("order_shipped", ["only one"])), { idempotencyKey: "k" }));
    expect(error).toMatchObject({ kind: "permanent", details: { code: "132000" } });
    expect(error.message).toContain("does not match the expected number of params (2)");
  });

  it("is refused with a wrong token (190) or another phone-number id, permanently", async () => {
    const wrongToken = new MetaWhatsAppProvider({ accessToken: "EAAGwrong", phoneNumberId: fake.phoneNumberId, baseUrl: fake.url, apiVersion: fake.apiVersion });
    expect(await failure(wrongToken.send(message(template("hello_world", [])), { idempotencyKey: "k" }))).toMatchObject({ kind: "permanent", details: { status: 401, code: "190" } });
    const wrongNumber = new MetaWhatsAppProvider({ accessToken: fake.accessToken, phoneNumberId: "999", baseUrl: fake.url, apiVersion: fake.apiVersion });
    expect(await failure(wrongNumber.send(message(template("hello_world", [])), { idempotencyKey: "k" }))).toMatchObject({ kind: "permanent", details: { status: 400, code: "100" } });
    expect(fake.messages).toHaveLength(0);
  });

  it("asks to slow down on 429 (130429) and retries on 5xx", async () => {
    fake.failNext(1, { status: 429 });
    expect(await failure(provider.send(message(template("hello_world", [])), { idempotencyKey: "k" }))).toMatchObject({ kind: "rate-limited", details: { code: "130429", retryAfterMs: 1_000 } });
    fake.failNext(1, { status: 500 });
    expect(await failure(provider.send(message(template("hello_world", [])), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient", details: { status: 500 } });
  });

  it("treats a timeout as transient", async () => {
    const slow = new MetaWhatsAppProvider({ accessToken: fake.accessToken, phoneNumberId: fake.phoneNumberId, baseUrl: fake.url, apiVersion: fake.apiVersion, timeoutMs: 100 });
    fake.failNext(1, { hang: true });
    expect(await failure(slow.send(message(template("hello_world", [])), { idempotencyKey: "k" }))).toMatchObject({ kind: "transient", details: { code: "timeout" } });
  });
});
