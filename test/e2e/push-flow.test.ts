import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { type FakeFcm, startFakeFcm } from "@/test/fakes/fake-fcm";
import { type FakeWebPush, startFakeWebPush } from "@/test/fakes/fake-web-push";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * Push end to end: the API registers devices, the engine runs the real notification function,
 * the real web-push and google-auth-library clients talk to loopback services that verify VAPID,
 * decrypt the payload and check the OAuth bearer; then the service worker's report (replayed here
 * from the decrypted payload) moves the message to delivered and clicked.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let webPush: FakeWebPush;
let fcm: FakeFcm;
let routes: {
  notifications: typeof import("@/app/api/v1/notifications/route");
  detail: typeof import("@/app/api/v1/notifications/[id]/route");
  contacts: typeof import("@/app/api/v1/contacts/route");
  subscriptions: typeof import("@/app/api/v1/contacts/[id]/push-subscriptions/route");
  report: typeof import("@/app/t/push/[token]/[report]/route");
};

const ENV = ["TRACKING_SECRET", "WEB_PUSH_TEST_CA", "PUSH_PROVIDER", "WEB_PUSH_VAPID_PUBLIC_KEY", "WEB_PUSH_VAPID_PRIVATE_KEY", "WEB_PUSH_VAPID_SUBJECT", "FCM_SERVICE_ACCOUNT", "FCM_BASE_URL"] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
const vapid = webpush.generateVAPIDKeys();

beforeAll(async () => {
  [webPush, fcm] = await Promise.all([startFakeWebPush(), startFakeFcm()]);
  Object.assign(process.env, {
    TRACKING_SECRET: "push-e2e-secret-push-e2e-secret-0000",
    // The loopback fake's certificate, trusted (and its loopback address let through) for this run only.
    WEB_PUSH_TEST_CA: webPush.certificate,
    PUSH_PROVIDER: "services",
    WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
    WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
    WEB_PUSH_VAPID_SUBJECT: "mailto:ops@example.com",
    FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount),
    FCM_BASE_URL: fcm.url,
  });
  database = await useTestDatabase();
  ({ apiKey } = await createWorkspace(database.db, { name: "Push E2E" }));
  app = await startAppEngine();
  routes = {
    notifications: await import("@/app/api/v1/notifications/route"),
    detail: await import("@/app/api/v1/notifications/[id]/route"),
    contacts: await import("@/app/api/v1/contacts/route"),
    subscriptions: await import("@/app/api/v1/contacts/[id]/push-subscriptions/route"),
    report: await import("@/app/t/push/[token]/[report]/route"),
  };
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
  await Promise.all([webPush?.stop(), fcm?.stop()]);
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function contact(email: string): Promise<string> {
  const created = await callRoute(routes.contacts.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body: { email } });
  return created.body.id as string;
}
const register = (contactId: string, body: unknown) =>
  callRoute(routes.subscriptions.POST, { method: "POST", path: `/api/v1/contacts/${contactId}/push-subscriptions`, apiKey, params: { id: contactId }, body });
const devices = (contactId: string) => callRoute(routes.subscriptions.GET, { path: `/api/v1/contacts/${contactId}/push-subscriptions`, apiKey, params: { id: contactId } });
const send = (body: Record<string, unknown>) => callRoute(routes.notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const settled = (id: string) =>
  waitFor(
    () => callRoute(routes.detail.GET, { path: "/", apiKey, params: { id } }),
    (response) => !["queued", "sending"].includes(response.body.status),
  );
/** What the service worker does: POST <payload.report>/<what>. */
function reportFromDevice(reportUrl: string, what: string) {
  const [token] = new URL(reportUrl).pathname.split("/").slice(-1);
  return routes.report.POST(new Request(`${reportUrl}/${what}`, { method: "POST" }), { params: Promise.resolve({ token: token!, report: what }) });
}

describe("push notifications through the engine", () => {
  it("reaches two browsers and an app, removes the expired browser, and records delivered then clicked", async () => {
    const contactId = await contact("push-ann@example.com");
    const laptop = webPush.subscribe({ applicationServerKey: vapid.publicKey });
    const phone = webPush.subscribe({ applicationServerKey: vapid.publicKey });
    const stale = webPush.subscribe({ applicationServerKey: vapid.publicKey });
    webPush.expire(stale.endpoint, 410);
    const appToken = fcm.registerToken();
    for (const [subscription, label] of [[laptop, "Laptop"], [phone, "Phone"], [stale, "Old tablet"]] as const) {
      expect((await register(contactId, { type: "web_push", ...subscription, expirationTime: null, label })).status).toBe(201);
    }
    expect((await register(contactId, { type: "fcm", token: appToken, label: "Android app" })).status).toBe(201);

    const queued = await send({ messageId: "push-e2e-1", channel: "push", contactId, subject: "Hi {{ contact.email }}", body: "Your order shipped", data: { url: "https://shop.example.com/orders/1" } });
    expect(queued.status).toBe(202);
    const sent = await settled(queued.body.id);
    expect(sent.body).toMatchObject({ status: "sent", provider: "web-push+fcm" });

    const received = webPush.deliveries.filter((delivery) => [laptop.endpoint, phone.endpoint].includes(delivery.endpoint));
    expect(received).toHaveLength(2);
    const payload = JSON.parse(received[0]!.payload) as { title: string; body: string; url: string; report: string; messageId: string };
    expect(payload).toMatchObject({ messageId: queued.body.id, title: "Hi push-ann@example.com", body: "Your order shipped", url: "https://shop.example.com/orders/1" });
    expect(fcm.messages.filter((message) => message.token === appToken)).toHaveLength(1);

    const left = await devices(contactId);
    expect(left.body.data.map((device: { label: string }) => device.label)).toEqual(["Laptop", "Phone", "Android app"]);

    expect((await reportFromDevice(payload.report, "delivered")).status).toBe(204);
    expect((await settled(queued.body.id)).body.status).toBe("delivered");
    expect((await reportFromDevice(payload.report, "clicked")).status).toBe(204);
    expect((await reportFromDevice(payload.report, "delivered")).status).toBe(204);
    expect((await settled(queued.body.id)).body.status).toBe("clicked");
  });

  it("fails without retry when the contact's only device expired, and removes it", async () => {
    const contactId = await contact("push-bob@example.com");
    const gone = webPush.subscribe();
    webPush.expire(gone.endpoint, 404);
    await register(contactId, { type: "web_push", ...gone });
    const attemptsBefore = webPush.requests.length;
    const queued = await send({ messageId: "push-e2e-2", channel: "push", contactId, subject: "Hello", body: "Anyone there?" });
    const failed = await settled(queued.body.id);
    expect(failed.body).toMatchObject({ status: "failed", error: "the contact's push subscription expired and was removed" });
    expect(webPush.requests.length - attemptsBefore).toBe(1);
    expect((await devices(contactId)).body.data).toEqual([]);
  });

  it("fails with 'no push subscription' for a contact without devices", async () => {
    const contactId = await contact("push-carol@example.com");
    const queued = await send({ messageId: "push-e2e-3", channel: "push", contactId, subject: "Hello", body: "Nobody home" });
    expect((await settled(queued.body.id)).body).toMatchObject({ status: "failed", error: "no push subscription" });
  });

  it("retries a 5xx from FCM and then delivers once", async () => {
    const contactId = await contact("push-dan@example.com");
    const token = fcm.registerToken();
    await register(contactId, { type: "fcm", token });
    fcm.failNext(1, { status: 503, status_text: "UNAVAILABLE" });
    const queued = await send({ messageId: "push-e2e-4", channel: "push", contactId, subject: "Hello", body: "Second time lucky" });
    expect((await settled(queued.body.id)).body).toMatchObject({ status: "sent", provider: "fcm" });
    expect(fcm.messages.filter((message) => message.token === token)).toHaveLength(1);
  });
});
