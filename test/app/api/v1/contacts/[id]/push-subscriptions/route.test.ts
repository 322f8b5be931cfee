import { createECDH, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteSubscription } from "@/app/api/v1/contacts/[id]/push-subscriptions/[subscriptionId]/route";
import { GET as listSubscriptions, POST as registerSubscription } from "@/app/api/v1/contacts/[id]/push-subscriptions/route";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT } from "@/db/queries/push-subscriptions";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let ann: string;
let bob: string;
let stranger: string;
let acmeId: string;

async function contact(workspaceId: string, email: string): Promise<string> {
  const result = await upsertContactByEmail(database.db, { workspaceId, changes: { email } });
  if (!result.ok) throw new Error("conflict");
  return result.contact.id;
}

beforeAll(async () => {
  database = await useTestDatabase();
  const acme = await createWorkspace(database.db, { name: "Acme" });
  const other = await createWorkspace(database.db, { name: "Other" });
  apiKey = acme.apiKey;
  otherKey = other.apiKey;
  acmeId = acme.workspace.id;
  ann = await contact(acmeId, "ann@example.com");
  bob = await contact(acmeId, "bob@example.com");
  stranger = await contact(other.workspace.id, "eve@example.com");
});
afterAll(() => database.close());

function browser(endpoint = `https://push.example.net/wpush/v2/${randomBytes(12).toString("hex")}`) {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { type: "web_push", endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") } };
}
const fcmToken = () => `${randomBytes(11).toString("base64url")}:APA91b${randomBytes(60).toString("base64url")}`;

const register = (contactId: string, body: unknown, key = apiKey) =>
  callRoute(registerSubscription, { method: "POST", path: `/api/v1/contacts/${contactId}/push-subscriptions`, apiKey: key, params: { id: contactId }, body });
const list = (contactId: string, key = apiKey) => callRoute(listSubscriptions, { path: `/api/v1/contacts/${contactId}/push-subscriptions`, apiKey: key, params: { id: contactId } });
const remove = (contactId: string, subscriptionId: string, key = apiKey) =>
  callRoute(deleteSubscription, { method: "DELETE", path: `/api/v1/contacts/${contactId}/push-subscriptions/${subscriptionId}`, apiKey: key, params: { id: contactId, subscriptionId } });

describe("POST /api/v1/contacts/{id}/push-subscriptions", () => {
  it("registers a browser (201), is idempotent by endpoint (200, fresh keys and label) and never shows the keys", async () => {
    const subscription = browser();
    const created = await register(ann, { ...subscription, label: "Firefox" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ contactId: ann, type: "web_push", endpoint: subscription.endpoint, token: null, label: "Firefox", lastSentAt: null });
    expect(JSON.stringify(created.body)).not.toContain(subscription.keys.auth);

    const again = await register(ann, { ...browser(subscription.endpoint), label: "Firefox on Linux" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: created.body.id, label: "Firefox on Linux" });
    expect((await list(ann)).body.data.filter((row: { endpoint: string }) => row.endpoint === subscription.endpoint)).toHaveLength(1);
  });

  it("moves a device to whoever registers it last (a log-out and log-in on one browser)", async () => {
    const token = fcmToken();
    const first = await register(ann, { type: "fcm", token });
    const moved = await register(bob, { type: "fcm", token });
    expect(moved).toMatchObject({ status: 200, body: { id: first.body.id, contactId: bob, token, endpoint: null } });
    expect((await list(ann)).body.data.map((row: { id: string }) => row.id)).not.toContain(first.body.id);
  });

  it("accepts keys with base64 padding, as some browsers send them, and stores them unpadded", async () => {
    const subscription = browser();
    const padded = { ...subscription, keys: { p256dh: `${subscription.keys.p256dh}=`, auth: `${subscription.keys.auth}==` } };
    expect((await register(ann, padded)).status).toBe(201);
  });

  const valid = browser();
  it.each([
    ["no type", { endpoint: valid.endpoint, keys: valid.keys }, "type", /expected one of "web_push"\|"fcm"|web_push/],
    ["an unknown type", { ...valid, type: "apns" }, "type", /web_push/],
    ["an http endpoint", { ...valid, endpoint: "http://push.example.net/x" }, "endpoint", /https URL/],
    ["a javascript: endpoint", { ...valid, endpoint: "javascript:alert(1)" }, "endpoint", /https URL/],
    ["no keys", { type: "web_push", endpoint: valid.endpoint }, "keys", /required for type `web_push`/],
    ["a short p256dh", { ...valid, keys: { ...valid.keys, p256dh: randomBytes(33).toString("base64url") } }, "keys.p256dh", /65 bytes/],
    ["a compressed p256dh", { ...valid, keys: { ...valid.keys, p256dh: Buffer.concat([Buffer.from([0x02]), randomBytes(64)]).toString("base64url") } }, "keys.p256dh", /starting 0x04/],
    ["a p256dh in plain base64", { ...valid, keys: { ...valid.keys, p256dh: "+/" + valid.keys.p256dh.slice(2) } }, "keys.p256dh", /base64url/],
    ["a 12-byte auth", { ...valid, keys: { ...valid.keys, auth: randomBytes(12).toString("base64url") } }, "keys.auth", /16 bytes/],
    ["a token on a browser", { ...valid, token: fcmToken() }, "token", /not part of a `web_push` subscription/],
    ["an FCM token with spaces", { type: "fcm", token: "abc def ghi jkl mno pqr stu" }, "token", /registration token/],
    ["keys on an FCM token", { type: "fcm", token: fcmToken(), keys: valid.keys }, "keys", /not part of a `fcm` subscription/],
    ["an unknown field", { ...valid, userVisibleOnly: true }, "userVisibleOnly", /not a known field/],
  ])("refuses %s with 400 naming the field", async (_case, body, field, message) => {
    const response = await register(ann, body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields[field].join(" ")).toMatch(message);
  });

  it("answers 404 for another workspace's contact, an unknown one, or a malformed id", async () => {
    expect((await register(stranger, browser())).status).toBe(404);
    expect((await register("3f1c3a57-0000-4000-8000-000000000000", browser())).status).toBe(404);
    expect((await register("not-a-uuid", browser())).status).toBe(404);
    expect((await list(stranger)).status).toBe(404);
    expect((await list(ann, otherKey)).status).toBe(404);
  });

  it("answers 413 for a body over the cap", async () => {
    const response = await register(ann, { ...browser(), label: "x".repeat(2_000_000) });
    expect(response.status).toBe(413);
  });

  it(`refuses a new device past ${MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT} per contact (409), and still updates a known one`, async () => {
    const busy = await contact(acmeId, "busy@example.com");
    const tokens = Array.from({ length: MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT }, fcmToken);
    for (const token of tokens) expect((await register(busy, { type: "fcm", token })).status).toBe(201);
    const refused = await register(busy, { type: "fcm", token: fcmToken() });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/at most 50/);
    expect((await register(busy, { type: "fcm", token: tokens[0], label: "renamed" })).status).toBe(200);
  });
});

describe("DELETE /api/v1/contacts/{id}/push-subscriptions/{subscriptionId}", () => {
  it("removes the device (204), then answers 404; another contact or workspace cannot remove it", async () => {
    const created = await register(ann, browser());
    expect((await remove(bob, created.body.id)).status).toBe(404);
    expect((await remove(ann, created.body.id, otherKey)).status).toBe(404);
    expect((await remove(ann, "nope")).status).toBe(404);
    expect((await remove(ann, created.body.id)).status).toBe(204);
    expect((await remove(ann, created.body.id)).status).toBe(404);
  });
});
