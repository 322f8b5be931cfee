import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getWebhookEvent } from "@/db/queries/webhook-events";
import { signWhatsAppWebhook, whatsappInbound, whatsappStatus, whatsappWebhookBody } from "@/test/fakes/fake-whatsapp";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const appSecret = randomBytes(16).toString("hex");
const verifyToken = randomBytes(12).toString("hex");
const PHONE_NUMBER_ID = "106540352242922";
const { GET, POST } = await import("@/app/api/webhooks/whatsapp/route");

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});
beforeEach(() => {
  Object.assign(process.env, { WHATSAPP_APP_SECRET: appSecret, WHATSAPP_WEBHOOK_VERIFY_TOKEN: verifyToken, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID });
});

const URL_BASE = "http://10.0.0.7:3000/api/webhooks/whatsapp";
const wamid = () => `wamid.${randomBytes(18).toString("base64url")}`;

async function post(body: string, signature: string | null, headers: Record<string, string> = {}) {
  const request = new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/json", ...(signature !== null ? { "x-hub-signature-256": signature } : {}), ...headers }, body });
  const response = await POST(request);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
const signed = (value: unknown, secret = appSecret) => {
  const body = JSON.stringify(value);
  return post(body, signWhatsAppWebhook(secret, body));
};
const eventsFor = (deliveryId: string) => recorder.events.filter((event) => event.id === `webhook-whatsapp-${deliveryId}`);

describe("GET /api/webhooks/whatsapp (Meta's subscription handshake)", () => {
  const handshake = (query: Record<string, string>) => GET(new Request(`${URL_BASE}?${new URLSearchParams(query)}`));

  it("answers the challenge, as plain text, to the right verify token", async () => {
    const response = await handshake({ "hub.mode": "subscribe", "hub.verify_token": verifyToken, "hub.challenge": "1158201444" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
  });

  it.each([
    ["a wrong verify token", { "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1" }, 403],
    ["another mode", { "hub.mode": "unsubscribe", "hub.verify_token": verifyToken, "hub.challenge": "1" }, 400],
    ["no challenge", { "hub.mode": "subscribe", "hub.verify_token": verifyToken }, 400],
  ])("refuses %s", async (_, query, status) => {
    const response = await handshake(query);
    expect(response.status).toBe(status);
    expect(await response.text()).not.toContain("1158201444");
  });

  it("answers 503 when no verify token is configured", async () => {
    delete process.env.WHATSAPP_WEBHOOK_VERIFY_TOKEN;
    expect((await handshake({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1" })).status).toBe(503);
  });
});

describe("POST /api/webhooks/whatsapp", () => {
  it("stores each status and inbound message of a signed POST once and emits one event each", async () => {
    const [sentId, readId] = [wamid(), wamid()];
    const inbound = whatsappInbound("447700900123", "hello");
    const response = await signed(
      whatsappWebhookBody(PHONE_NUMBER_ID, { statuses: [whatsappStatus(sentId, "447700900123", "delivered"), whatsappStatus(readId, "447700900124", "read")], messages: [inbound] }),
    );
    expect(response).toEqual({ status: 200, json: { received: 3 } });
    for (const deliveryId of [`${sentId}:delivered`, `${readId}:read`, `inbound:${inbound.id}`]) {
      expect(eventsFor(deliveryId)).toEqual([expect.objectContaining({ name: "provider/webhook.received", data: { provider: "whatsapp", deliveryId } })]);
    }
    expect(await getWebhookEvent(database.db, { provider: "whatsapp", deliveryId: `${sentId}:delivered` })).toMatchObject({
      type: "message.delivered",
      payload: { kind: "status", phoneNumberId: PHONE_NUMBER_ID, status: expect.objectContaining({ id: sentId, status: "delivered" }) },
    });
  });

  it("acknowledges a replayed POST without storing or emitting anything again", async () => {
    const id = wamid();
    const body = whatsappWebhookBody(PHONE_NUMBER_ID, { statuses: [whatsappStatus(id, "447700900123", "sent")] });
    expect((await signed(body)).status).toBe(200);
    expect((await signed(body)).status).toBe(200);
    expect(eventsFor(`${id}:sent`)).toHaveLength(1);
  });

  it.each([
    ["no signature", (body: string) => post(body, null)],
    ["a signature made with another secret", (body: string) => post(body, signWhatsAppWebhook("not-the-app-secret", body))],
    ["a signature of another body", (body: string) => post(body, signWhatsAppWebhook(appSecret, body.replace("sent", "read")))],
    ["a SHA-1 signature in place of SHA-256", (body: string) => post(body, `sha1=${"0".repeat(40)}`)],
    ["a truncated signature", (body: string) => post(body, signWhatsAppWebhook(appSecret, body).slice(0, 20))],
  ])("answers 401 and stores nothing for %s", async (_, send) => {
    const id = wamid();
    const response = await send(JSON.stringify(whatsappWebhookBody(PHONE_NUMBER_ID, { statuses: [whatsappStatus(id, "447700900123", "sent")] })));
    expect(response.status).toBe(401);
    expect(await getWebhookEvent(database.db, { provider: "whatsapp", deliveryId: `${id}:sent` })).toBeUndefined();
    expect(eventsFor(`${id}:sent`)).toHaveLength(0);
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["another object than a business account", JSON.stringify({ object: "page", entry: [] })],
    ["a status without its id", JSON.stringify(whatsappWebhookBody(PHONE_NUMBER_ID, { statuses: [{ status: "sent", timestamp: "1700000000" }] }))],
    ["an inbound message from a non-number", JSON.stringify(whatsappWebhookBody(PHONE_NUMBER_ID, { messages: [{ ...whatsappInbound("x", "hi"), from: "not-a-number" }] }))],
  ])("answers 400 to a signed POST with %s", async (_, body) => {
    const before = recorder.events.length;
    const response = await post(body, signWhatsAppWebhook(appSecret, body));
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "invalid_payload" } });
    expect(recorder.events.length).toBe(before);
  });

  it("ignores notifications of another number of the business account", async () => {
    const inbound = whatsappInbound("447700900123", "hi");
    expect(await signed(whatsappWebhookBody("999999", { messages: [inbound] }))).toEqual({ status: 200, json: { received: 0 } });
    expect(eventsFor(`inbound:${inbound.id}`)).toHaveLength(0);
  });

  it("answers 413 to an oversized body and 503 without an app secret", async () => {
    expect((await post("x".repeat(300 * 1024), "sha256=00")).status).toBe(413);
    delete process.env.WHATSAPP_APP_SECRET;
    expect((await signed(whatsappWebhookBody(PHONE_NUMBER_ID, {}))).status).toBe(503);
  });
});
