import { randomUUID } from "node:crypto";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { createPushProvider, pushProviderChoices } from "@/lib/providers/push/create-push-provider";
import type { PushDevice, PushNotification } from "@/lib/providers/push/push-provider";
import { listProviderHealth } from "@/lib/providers/provider-health";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeFcm, startFakeFcm } from "@/test/fakes/fake-fcm";
import { type FakeWebPush, startFakeWebPush } from "@/test/fakes/fake-web-push";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let webPush: FakeWebPush;
let fcm: FakeFcm;
let workspaceId: string;
const vapid = webpush.generateVAPIDKeys();

beforeAll(async () => {
  database = await createTestDatabase();
  [webPush, fcm] = await Promise.all([startFakeWebPush(), startFakeFcm()]);
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Factory" }));
});
afterAll(async () => {
  await Promise.all([webPush.stop(), fcm.stop()]);
  await database.close();
});

const services = () => ({ WEB_PUSH_TEST_CA: webPush.certificate, WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey, WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey, FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount), FCM_BASE_URL: fcm.url });

describe("pushProviderChoices", () => {
  it.each([
    ["nothing set → the outbox for every device", {}, ["outbox", "outbox"], [null, null]],
    ["VAPID keys → Web Push; FCM tokens then need a service account", { WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey, WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey }, ["web-push", "fcm"], [null, "FCM_SERVICE_ACCOUNT"]],
    ["a service account alone → FCM (and Web Push with the development pair)", { FCM_SERVICE_ACCOUNT: "{}" }, ["web-push", "fcm"], [null, null]],
    ["PUSH_PROVIDER=outbox wins over credentials", { PUSH_PROVIDER: "outbox", FCM_SERVICE_ACCOUNT: "{}" }, ["outbox", "outbox"], [null, null]],
  ])("%s", (_name, env, providers, missing) => {
    const choices = pushProviderChoices(env);
    expect(choices.map((choice) => choice.kind)).toEqual(["web_push", "fcm"]);
    expect(choices.map((choice) => choice.provider)).toEqual(providers);
    expect(choices.map((choice) => choice.missing)).toEqual(missing);
  });
});

describe("createPushProvider", () => {
  const notification = (): PushNotification => ({ workspaceId, messageId: randomUUID(), title: "T", body: "B", url: null, reportUrl: "https://x.example/t/push/t" });

  it("routes each device by kind: browsers to their push service, tokens to FCM", async () => {
    const provider = createPushProvider(database.db, services());
    const browser = webPush.subscribe();
    const toBrowser: PushDevice = { id: "1", kind: "web_push", address: browser.endpoint, p256dh: browser.keys.p256dh, auth: browser.keys.auth, label: null };
    const toApp: PushDevice = { id: "2", kind: "fcm", address: fcm.registerToken(), p256dh: null, auth: null, label: null };
    expect((await provider.send(notification(), toBrowser, { idempotencyKey: "a" })).provider).toBe("web-push");
    expect((await provider.send(notification(), toApp, { idempotencyKey: "b" })).provider).toBe("fcm");
  });

  it("fails only FCM devices, naming the variable, when FCM is not configured", async () => {
    const { FCM_SERVICE_ACCOUNT: _, ...webOnly } = services();
    const provider = createPushProvider(database.db, webOnly);
    await expect(provider.send(notification(), { id: "3", kind: "fcm", address: fcm.registerToken(), p256dh: null, auth: null, label: null }, { idempotencyKey: "c" })).rejects.toMatchObject({
      name: "ConfigError",
      variable: "FCM_SERVICE_ACCOUNT",
    });
  });

  it("keeps every device's notification in the outbox by default", async () => {
    const sent = notification();
    const result = await createPushProvider(database.db, {}).send(sent, { id: randomUUID(), kind: "fcm", address: "tok", p256dh: null, auth: null, label: "Pixel" }, { idempotencyKey: "d" });
    expect(result.provider).toBe("outbox");
    const [row] = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: sent.messageId }, limit: 5 });
    expect(row).toMatchObject({ channel: "push", to: "FCM device Pixel", subject: "T", text: "B" });
  });
});

describe("the providers health list", () => {
  it("shows push's providers with what they miss, and no secret", async () => {
    const { FCM_SERVICE_ACCOUNT: _, ...webOnly } = services();
    const push = (await listProviderHealth(database.db, webOnly)).filter((entry) => entry.channel === "push");
    expect(push.map(({ provider, missing }) => ({ provider, missing }))).toEqual([
      { provider: "web-push", missing: null },
      { provider: "fcm", missing: "FCM_SERVICE_ACCOUNT" },
    ]);
    expect(JSON.stringify(push)).not.toContain(vapid.privateKey);
    expect((await listProviderHealth(database.db, {})).filter((entry) => entry.channel === "push").map((entry) => entry.provider)).toEqual(["outbox"]);
  });
});
