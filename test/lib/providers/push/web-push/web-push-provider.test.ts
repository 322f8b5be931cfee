import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/providers/errors";
import type { PushDevice, PushNotification } from "@/lib/providers/push/push-provider";
import { isExpiredSubscription } from "@/lib/providers/push/push-provider";
import { WebPushProvider } from "@/lib/providers/push/web-push/web-push-provider";
import { type FakeWebPush, startFakeWebPush } from "@/test/fakes/fake-web-push";

let fake: FakeWebPush;
const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.com" };
/** Trust the fake's certificate and let its loopback address through (production allows public addresses only). */
const testing = () => ({ ca: fake.certificate, isAllowedAddress: (address: string) => address === "127.0.0.1" });

beforeAll(async () => {
  fake = await startFakeWebPush();
});
afterAll(() => fake.stop());

const notification: PushNotification = {
  workspaceId: "00000000-0000-4000-8000-000000000001",
  messageId: "0f0e0d0c-0b0a-4909-8807-060504030201",
  title: "Your order shipped",
  body: "Order #42 is on its way — ünïcödé too",
  url: "https://shop.example.com/orders/42",
  reportUrl: "https://sendline.example.com/t/push/token",
};

function device(subscription = fake.subscribe()): PushDevice {
  return { id: "sub-1", kind: "web_push", address: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, label: null };
}

describe("WebPushProvider against a push service that verifies VAPID and decrypts", () => {
  it("sends an aes128gcm payload only the subscription can decrypt, signed for the endpoint's origin", async () => {
    const provider = new WebPushProvider(vapid, testing());
    const result = await provider.send(notification, device(fake.subscribe({ applicationServerKey: vapid.publicKey })), { idempotencyKey: "k" });
    expect(result.provider).toBe("web-push");
    expect(result.providerMessageId).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/message\//);
    const delivery = fake.deliveries.at(-1)!;
    expect(JSON.parse(delivery.payload)).toEqual({ v: 1, messageId: notification.messageId, title: notification.title, body: notification.body, url: notification.url, report: notification.reportUrl });
    expect(delivery.claims.aud).toBe(new URL(fake.url).origin);
    expect(delivery.claims.sub).toBe("mailto:ops@example.com");
    expect(delivery.claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(delivery).toMatchObject({ ttl: 86_400, urgency: "normal", topic: notification.messageId.replace(/-/g, ""), vapidPublicKey: vapid.publicKey });
  });

  it("is refused (403, permanent) when the subscription was made for another VAPID key", async () => {
    const other = webpush.generateVAPIDKeys();
    const provider = new WebPushProvider(vapid, testing());
    const error = await provider.send(notification, device(fake.subscribe({ applicationServerKey: other.publicKey })), { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "permanent", details: { status: 403 } });
    expect(isExpiredSubscription(error)).toBe(false);
  });

  it.each([404, 410] as const)("reports an endpoint answering %i as an expired subscription", async (status) => {
    const subscription = fake.subscribe();
    fake.expire(subscription.endpoint, status);
    const error = await new WebPushProvider(vapid, testing()).send(notification, device(subscription), { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(isExpiredSubscription(error)).toBe(true);
    expect(error).toMatchObject({ kind: "permanent", details: { status } });
  });

  it("maps 429 with Retry-After to rate-limited and 5xx to transient", async () => {
    const provider = new WebPushProvider(vapid, testing());
    fake.failNext(1, { status: 429, retryAfter: "7" });
    await expect(provider.send(notification, device(), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "rate-limited", details: { retryAfterMs: 7000 } });
    fake.failNext(1, { status: 503 });
    await expect(provider.send(notification, device(), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "transient", details: { status: 503 } });
  });

  it("cuts a body too long for the 4 KB payload limit instead of being refused with 413", async () => {
    const long = { ...notification, body: "é".repeat(5_000) };
    await new WebPushProvider(vapid, testing()).send(long, device(), { idempotencyKey: "k" });
    const payload = JSON.parse(fake.deliveries.at(-1)!.payload) as { body: string };
    expect(payload.body.endsWith("…")).toBe(true);
    expect(payload.body.length).toBeLessThan(long.body.length);
  });

  it("fails a request whose VAPID JWT is signed by another key than the one it names", async () => {
    const forged = { ...vapid, privateKey: webpush.generateVAPIDKeys().privateKey };
    await expect(new WebPushProvider(forged, testing()).send(notification, device(), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "permanent", details: { status: 401 } });
    expect(fake.requests.at(-1)?.reason).toBe("JWT signature does not verify with the VAPID key");
  });

  it("never posts to an endpoint on a private or loopback address (the default policy)", async () => {
    const before = fake.requests.length;
    const error = await new WebPushProvider(vapid).send(notification, device(), { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "permanent", details: { code: "blocked_endpoint" } });
    expect((error as Error).message).toMatch(/not a public address.*127\.0\.0\.1 \(loopback\)/);
    expect(fake.requests.length).toBe(before);
  });

  it("treats a refused connection as transient and not accepted", async () => {
    const closed = { ...device(), address: "https://127.0.0.1:1/push/gone" };
    await expect(new WebPushProvider(vapid, testing()).send(notification, closed, { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "transient", details: { notAccepted: true } });
  });
});
