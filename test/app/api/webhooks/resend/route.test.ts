import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById } from "@/db/queries/messages";
import { getWebhookEvent } from "@/db/queries/webhook-events";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { newResendWebhookSecret, resendWebhookPayload, signResendWebhook } from "@/test/fakes/fake-resend";
import { sentMessage } from "@/test/inngest/functions/webhooks/webhook-fixtures";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

// A loopback recorder plays the Inngest event API; recorded events are handed to the real function.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const secret = newResendWebhookSecret();
process.env.RESEND_WEBHOOK_SECRET = secret;
const { POST } = await import("@/app/api/webhooks/resend/route");
const { processEmailEvent } = await import("@/inngest/functions/webhooks/process-email-event");

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Acme" })).workspace.id;
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});
beforeEach(() => {
  process.env.RESEND_WEBHOOK_SECRET = secret;
  recorder.failNext(0);
});

const email = { id: randomUUID(), from: "a@acme.test", to: ["ann@example.com"], subject: "Hi", createdAt: new Date().toISOString(), tags: [] };
const body = (type = "email.delivered") => JSON.stringify(resendWebhookPayload(email, type));
const post = (rawBody: string, headers: Record<string, string>) => callRoute(POST, { method: "POST", path: "/api/webhooks/resend", body: rawBody, headers });
const eventsFor = (svixId: string) => recorder.events.filter((event) => event.id === `webhook-resend-${svixId}`);

describe("POST /api/webhooks/resend", () => {
  it("accepts a validly signed webhook, stores it and emits one id-only event", async () => {
    const raw = body();
    const headers = signResendWebhook(secret, raw);
    const response = await post(raw, headers);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: true, duplicate: false });
    expect(eventsFor(headers["svix-id"])).toEqual([
      expect.objectContaining({ name: "provider/webhook.received", data: { provider: "resend", deliveryId: headers["svix-id"] } }),
    ]);
    expect(await getWebhookEvent(database.db, { provider: "resend", deliveryId: headers["svix-id"] })).toMatchObject({
      type: "email.delivered",
      payload: JSON.parse(raw),
    });
  });

  it("acknowledges a redelivery of the same svix-id and emits nothing more", async () => {
    const raw = body("email.opened");
    const headers = signResendWebhook(secret, raw);
    expect((await post(raw, headers)).body).toEqual({ received: true, duplicate: false });
    const again = await post(raw, signResendWebhook(secret, raw, { id: headers["svix-id"] }));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, duplicate: true });
    expect(eventsFor(headers["svix-id"])).toHaveLength(1);
  });

  it.each([
    ["a tampered body", (raw: string) => ({ raw: raw.replace("email.delivered", "email.bounced"), headers: signResendWebhook(secret, raw) }), 401, "invalid_signature"],
    ["another endpoint's secret", (raw: string) => ({ raw, headers: signResendWebhook(newResendWebhookSecret(), raw) }), 401, "invalid_signature"],
    ["a timestamp 6 minutes old", (raw: string) => ({ raw, headers: signResendWebhook(secret, raw, { timestamp: new Date(Date.now() - 6 * 60_000) }) }), 401, "expired_signature"],
    ["a timestamp 6 minutes ahead", (raw: string) => ({ raw, headers: signResendWebhook(secret, raw, { timestamp: new Date(Date.now() + 6 * 60_000) }) }), 401, "expired_signature"],
    ["no signature headers", (raw: string) => ({ raw, headers: {} }), 400, "missing_signature"],
    [
      "a signature header but no svix-id",
      (raw: string) => {
        const { "svix-id": _id, ...rest } = signResendWebhook(secret, raw);
        return { raw, headers: rest };
      },
      400,
      "missing_signature",
    ],
  ])("rejects %s, storing and emitting nothing", async (_case, build, status, code) => {
    const before = recorder.events.length;
    const { raw, headers } = build(body());
    const response = await post(raw, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(recorder.events.length).toBe(before);
    const svixId = (headers as Record<string, string>)["svix-id"];
    if (svixId) expect(await getWebhookEvent(database.db, { provider: "resend", deliveryId: svixId })).toBeUndefined();
  });

  it("accepts a signature list where one of several signatures matches (secret rotation)", async () => {
    const raw = body();
    const headers = signResendWebhook(secret, raw);
    const old = signResendWebhook(newResendWebhookSecret(), raw, { id: headers["svix-id"] })["svix-signature"];
    const response = await post(raw, { ...headers, "svix-signature": `${old} ${headers["svix-signature"]}` });
    expect(response.status).toBe(200);
  });

  it("answers 413 to an endless chunked body after reading no more than the cap", async () => {
    let pulledBytes = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulledBytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/webhooks/resend", {
      method: "POST",
      body: endless,
      headers: { "content-type": "application/json", ...signResendWebhook(secret, "{}") },
      duplex: "half",
    } as RequestInit);
    const response = await POST(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: "payload_too_large", message: "Webhook bodies are limited to 256 KiB" } });
    expect(pulledBytes).toBeLessThan(512 * 1024);
  });

  it("answers 503 when no secret is configured, or the secret is unusable", async () => {
    const raw = body();
    delete process.env.RESEND_WEBHOOK_SECRET;
    const unconfigured = await post(raw, signResendWebhook(secret, raw));
    expect(unconfigured.status).toBe(503);
    expect(unconfigured.body.error.code).toBe("webhook_not_configured");
    process.env.RESEND_WEBHOOK_SECRET = "whsec_!!!not-base64!!!";
    expect((await post(raw, signResendWebhook(secret, raw))).status).toBe(503);
  });

  it("answers 503 when the event cannot be emitted, and the provider's redelivery is then emitted, not swallowed", async () => {
    const raw = body();
    const headers = signResendWebhook(secret, raw);
    recorder.failNext(10);
    const failed = await post(raw, headers);
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe("queue_unavailable");
    expect(await getWebhookEvent(database.db, { provider: "resend", deliveryId: headers["svix-id"] })).toBeUndefined();

    recorder.failNext(0);
    const redelivered = await post(raw, signResendWebhook(secret, raw, { id: headers["svix-id"] }));
    expect(redelivered.body).toEqual({ received: true, duplicate: false });
    expect(eventsFor(headers["svix-id"])).toHaveLength(1);
  });

  it("end to end: a signed email.bounced, then a late email.delivered, leave the message bounced", async () => {
    const message = await sentMessage(database, { workspaceId, channel: "email", recipient: "bob@example.com", provider: "resend", providerMessageId: randomUUID() });
    const sent = { ...email, id: message.providerMessageId!, to: ["bob@example.com"] };
    for (const [type, extra] of [
      ["email.bounced", { bounce: { type: "Permanent", subType: "General", message: "550 no such user" } }],
      ["email.delivered", {}],
    ] as const) {
      const raw = JSON.stringify(resendWebhookPayload(sent, type, extra));
      const headers = signResendWebhook(secret, raw);
      expect((await post(raw, headers)).status).toBe(200);
      const [event] = eventsFor(headers["svix-id"]);
      const { error } = await new InngestTestEngine({ function: processEmailEvent }).execute({ events: [event as never] });
      expect(error).toBeUndefined();
    }
    expect(await findMessageById(database.db, { messageId: message.id })).toMatchObject({ status: "bounced", deliveredAt: null });
  });

  it("answers a flood from one address 429 with Retry-After before verifying anything, and other addresses go on", async () => {
    process.env.WEBHOOK_REQUESTS_PER_SECOND_PER_IP = "3";
    try {
      const flood = { "x-forwarded-for": "203.0.113.7, 10.0.0.1" };
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 5; i++) {
        const raw = body();
        const response = await post(raw, { ...signResendWebhook(secret, raw), ...flood });
        statuses.push(response.status);
        if (response.status === 429) limited = response;
      }
      // Within one second: three taken, the rest refused (a second boundary may split them, never more).
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(4);
      expect(limited).toBeDefined();
      expect(limited!.body.error.code).toBe("rate_limited");
      expect(Number(limited!.response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // Refused before the signature is read: an unsigned body from the same address is refused the same way.
      expect((await post("{}", flood)).status).toBe(429);

      const raw = body();
      expect((await post(raw, { ...signResendWebhook(secret, raw), "x-forwarded-for": "198.51.100.9" })).status).toBe(200);
    } finally {
      delete process.env.WEBHOOK_REQUESTS_PER_SECOND_PER_IP;
    }
  });
});
