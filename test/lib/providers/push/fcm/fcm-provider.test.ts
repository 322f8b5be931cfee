import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FcmProvider } from "@/lib/providers/push/fcm/fcm-provider";
import { parseFcmServiceAccount } from "@/lib/providers/push/fcm/fcm-service-account";
import { isExpiredSubscription, type PushDevice, type PushNotification } from "@/lib/providers/push/push-provider";
import { type FakeFcm, startFakeFcm } from "@/test/fakes/fake-fcm";

let fake: FakeFcm;

beforeAll(async () => {
  fake = await startFakeFcm();
});
afterAll(() => fake.stop());

const notification: PushNotification = {
  workspaceId: "00000000-0000-4000-8000-000000000001",
  messageId: "0f0e0d0c-0b0a-4909-8807-060504030201",
  title: "Your order shipped",
  body: "Order #42 is on its way",
  url: "https://shop.example.com/orders/42",
  reportUrl: "https://sendline.example.com/t/push/token",
};

const device = (token: string): PushDevice => ({ id: "sub-1", kind: "fcm", address: token, p256dh: null, auth: null, label: null });
const provider = () => new FcmProvider(parseFcmServiceAccount(JSON.stringify(fake.serviceAccount)), { baseUrl: fake.url });

describe("FcmProvider against FCM HTTP v1 and a token endpoint that verify the service account", () => {
  it("gets a bearer with an RS256 assertion and sends a v1 message with the payload as data.sendline", async () => {
    const token = fake.registerToken();
    const result = await provider().send(notification, device(token), { idempotencyKey: "k" });
    expect(result).toMatchObject({ provider: "fcm", providerMessageId: expect.stringMatching(new RegExp(`^projects/${fake.serviceAccount.project_id}/messages/`)) });
    const sent = fake.messages.at(-1)!;
    expect(sent).toMatchObject({ token, notification: { title: notification.title, body: notification.body }, webpush: { fcm_options: { link: notification.url } } });
    expect(JSON.parse(sent.data.sendline!)).toMatchObject({ v: 1, messageId: notification.messageId, report: notification.reportUrl });
    expect(fake.tokenRequests.at(-1)).toEqual({ status: 200, error: null });
  });

  it("reuses its access token across sends (one token request per client)", async () => {
    const client = provider();
    const before = fake.tokenRequests.length;
    await client.send(notification, device(fake.registerToken()), { idempotencyKey: "a" });
    await client.send(notification, device(fake.registerToken()), { idempotencyKey: "b" });
    expect(fake.tokenRequests.length - before).toBe(1);
  });

  it("reports UNREGISTERED and an invalid token as an expired subscription", async () => {
    const token = fake.registerToken();
    fake.unregister(token);
    const unregistered = await provider().send(notification, device(token), { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(isExpiredSubscription(unregistered)).toBe(true);
    expect(unregistered).toMatchObject({ details: { status: 404 } });
    const malformed = await provider().send(notification, device("not a token!"), { idempotencyKey: "k" }).catch((e: unknown) => e);
    expect(isExpiredSubscription(malformed)).toBe(true);
    expect(malformed).toMatchObject({ details: { status: 400 } });
  });

  it("maps QUOTA_EXCEEDED to rate-limited and UNAVAILABLE to transient", async () => {
    const client = provider();
    fake.failNext(1, { status: 429, status_text: "QUOTA_EXCEEDED", retryAfter: "30" });
    await expect(client.send(notification, device(fake.registerToken()), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "rate-limited", details: { retryAfterMs: 30_000 } });
    fake.failNext(1, { status: 503, status_text: "UNAVAILABLE" });
    await expect(client.send(notification, device(fake.registerToken()), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "transient", details: { status: 503 } });
  });

  it("fails for good when the token endpoint refuses the assertion (a key that is not the account's)", async () => {
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const forged = new FcmProvider(parseFcmServiceAccount(JSON.stringify({ ...fake.serviceAccount, private_key: stranger })), { baseUrl: fake.url });
    await expect(forged.send(notification, device(fake.registerToken()), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "permanent", details: { provider: "fcm", status: 400 } });
    expect(fake.tokenRequests.at(-1)).toEqual({ status: 400, error: "Invalid JWT Signature." });
  });

  it("is refused for another project's messages (403, permanent)", async () => {
    const other = new FcmProvider(parseFcmServiceAccount(JSON.stringify({ ...fake.serviceAccount, project_id: "someone-else" })), { baseUrl: fake.url });
    await expect(other.send(notification, device(fake.registerToken()), { idempotencyKey: "k" })).rejects.toMatchObject({ kind: "permanent", details: { status: 403 } });
  });
});

describe("parseFcmServiceAccount", () => {
  it.each([
    ["not JSON", "{nope", /not a service account key/],
    ["the wrong type", JSON.stringify({ type: "authorized_user" }), /check type, project_id, private_key, client_email/],
    ["a missing file", "/nonexistent/key.json", /names a file that cannot be read/],
  ])("names what is wrong with %s, never a value", (_what, value, message) => {
    expect(() => parseFcmServiceAccount(value)).toThrow(message);
  });
});
