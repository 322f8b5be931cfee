import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { OUTSIDE_SESSION_WINDOW } from "@/core/messages/whatsapp";
import { type FakeTwilio, signTwilioRequest, startFakeTwilio, twilioInboundParams, twilioStatusCallbackParams } from "@/test/fakes/fake-twilio";
import { type FakeWhatsApp, startFakeWhatsApp } from "@/test/fakes/fake-whatsapp";
import { type LoopbackServer, startLoopbackServer } from "@/test/fakes/loopback-server";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * WhatsApp end to end through the local engine: the real notification API, the real
 * send-notification run calling the Cloud API (its loopback fake) or the outbox, and Meta's
 * signed webhooks posted by the fake to the real webhook route, processed by process-whatsapp-event.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let routes: {
  notifications: typeof import("@/app/api/v1/notifications/route");
  detail: typeof import("@/app/api/v1/notifications/[id]/route");
  contacts: typeof import("@/app/api/v1/contacts/route");
  optIn: typeof import("@/app/api/v1/contacts/[id]/whatsapp-opt-in/route");
  webhook: typeof import("@/app/api/webhooks/whatsapp/route");
};
let database: Database;
let apiKey: string;
let workspaceId: string;

const SEND_FN = "sendline-send-notification";

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "WhatsApp E2E" }));
  app = await startAppEngine();
  routes = {
    notifications: await import("@/app/api/v1/notifications/route"),
    detail: await import("@/app/api/v1/notifications/[id]/route"),
    contacts: await import("@/app/api/v1/contacts/route"),
    optIn: await import("@/app/api/v1/contacts/[id]/whatsapp-opt-in/route"),
    webhook: await import("@/app/api/webhooks/whatsapp/route"),
  };
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const notify = (body: Record<string, unknown>) => callRoute(routes.notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const statusOf = (id: string) => callRoute(routes.detail.GET, { path: "/", apiKey, params: { id } });
const settled = (id: string, done: (status: string) => boolean = (status) => status !== "queued" && status !== "sending") =>
  waitFor(() => statusOf(id), (response) => done(response.body.status));
const runsFor = async (messageId: string) =>
  (await app.engine.listRuns({ fnId: SEND_FN })).filter((run) => (run.event as { data?: { messageId?: string } })?.data?.messageId === messageId);

async function contact(phone: string, firstName: string, optedIn = true): Promise<string> {
  const created = await callRoute(routes.contacts.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body: { email: `${firstName.toLowerCase()}@example.com`, phone, firstName } });
  expect(created.status).toBe(201);
  if (optedIn) {
    const recorded = await callRoute(routes.optIn.POST, { method: "POST", path: "/", apiKey, params: { id: created.body.id }, body: { source: "checkout form" } });
    expect(recorded.body).toMatchObject({ optedIn: true, optInSource: "checkout form" });
  }
  return created.body.id as string;
}

describe("WhatsApp through the outbox (no account)", () => {
  it("lands a template notification in the outbox with its rendered variables", async () => {
    const contactId = await contact("+14155550101", "Ann");
    const queued = await notify({
      messageId: "wa-outbox-1",
      channel: "whatsapp",
      contactId,
      whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["{{ contact.first_name }}", "{{ order }}"] } },
      data: { order: "#1042" },
    });
    expect(queued.status).toBe(202);
    const sent = await settled(queued.body.id);
    expect(sent.body).toMatchObject({ error: null, status: "sent", provider: "outbox" });
    const [row] = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: queued.body.id }, limit: 1 });
    expect(row).toMatchObject({ channel: "whatsapp", to: "+14155550101", subject: "Template order_shipped (en_US)", text: "[template order_shipped (en_US)]\n{{1}} = Ann\n{{2}} = #1042" });
  });
});

describe("WhatsApp through the Cloud API", () => {
  let fake: FakeWhatsApp;
  let hooks: LoopbackServer;
  beforeAll(async () => {
    // Meta's webhooks reach the real route over HTTP, as they would in production.
    hooks = await startLoopbackServer(async (req, res, body) => {
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === "POST" ? body : undefined });
      const response = await routes.webhook.POST(request);
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" }).end(await response.text());
    });
    fake = await startFakeWhatsApp({
      templates: [{ name: "order_shipped", language: "en_US", bodyParameters: 2 }],
      webhookUrl: `${hooks.url}/api/webhooks/whatsapp`,
    });
    Object.assign(process.env, {
      WHATSAPP_PROVIDER: "meta",
      WHATSAPP_ACCESS_TOKEN: fake.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: fake.phoneNumberId,
      WHATSAPP_API_VERSION: fake.apiVersion,
      WHATSAPP_BASE_URL: fake.url,
      WHATSAPP_APP_SECRET: fake.appSecret,
    });
  });
  afterAll(async () => {
    for (const name of ["WHATSAPP_PROVIDER", "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_API_VERSION", "WHATSAPP_BASE_URL", "WHATSAPP_APP_SECRET"]) delete process.env[name];
    await fake.stop();
    await hooks.stop();
  });

  it("sends a template notification, and the status webhooks move it to delivered, then read", async () => {
    const contactId = await contact("+14155550201", "Bea");
    const queued = await notify({
      messageId: "wa-template",
      channel: "whatsapp",
      contactId,
      whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["{{ contact.first_name }}", "#{{ order }}"] } },
      data: { order: 77 },
    });
    const sent = await settled(queued.body.id);
    const wire = fake.messages.find((message) => message.id === sent.body.providerMessageId);
    expect(sent.body).toMatchObject({ status: "sent", provider: "meta" });
    expect(wire).toMatchObject({ to: "14155550201", type: "template", template: { name: "order_shipped", language: "en_US", parameters: ["Bea", "#77"] } });

    expect((await fake.postStatus(wire!.id, "delivered")).status).toBe(200);
    expect((await settled(queued.body.id, (status) => status === "delivered")).body.timestamps.deliveredAt).not.toBeNull();
    expect((await fake.postStatus(wire!.id, "read")).status).toBe(200);
    await settled(queued.body.id, (status) => status === "opened");
    // A late "sent" never moves it back.
    expect((await fake.postStatus(wire!.id, "sent")).status).toBe(200);
    await waitFor(() => app.engine.listRuns({ fnId: "sendline-process-whatsapp-event" }), (runs) => runs.length >= 3 && runs.every((run) => run.status === "completed"));
    expect((await statusOf(queued.body.id)).body.status).toBe("opened");
  });

  it("sends a session message inside the window the contact's own message opened, and it is delivered", async () => {
    const contactId = await contact("+14155550202", "Cy");
    expect((await fake.postInbound("+14155550202", "Is my order on its way?")).status).toBe(200);
    await waitFor(
      () => callRoute(routes.optIn.GET, { path: "/", apiKey, params: { id: contactId } }),
      (response) => response.body.lastInboundAt !== null,
    );
    const queued = await notify({ messageId: "wa-session", channel: "whatsapp", contactId, body: "Hi {{ contact.first_name }}, it left today." });
    const sent = await settled(queued.body.id);
    expect(sent.body).toMatchObject({ status: "sent", provider: "meta" });
    expect(fake.messages.find((message) => message.id === sent.body.providerMessageId)).toMatchObject({ type: "text", text: "Hi Cy, it left today.", outsideWindow: false });
    await fake.postStatus(sent.body.providerMessageId, "delivered");
    await settled(queued.body.id, (status) => status === "delivered");
  });

  it("refuses a session message outside the 24-hour window, with the reason, without calling Meta or retrying", async () => {
    const contactId = await contact("+14155550203", "Dee");
    const before = fake.counters.requests;
    const queued = await notify({ messageId: "wa-no-window", channel: "whatsapp", contactId, body: "Free text out of the blue" });
    const failed = await settled(queued.body.id);
    expect(failed.body).toMatchObject({ status: "failed", error: OUTSIDE_SESSION_WINDOW });
    expect(fake.counters.requests).toBe(before);
    const [run] = await waitFor(() => runsFor(queued.body.id), (runs) => runs[0]?.status === "completed");
    expect(Object.values(run!.step_attempts)).toEqual([]);
  });

  it("refuses a contact without opt-in, and one who withdrew it by sending STOP", async () => {
    const never = await contact("+14155550204", "Eve", false);
    const noOptIn = await notify({ messageId: "wa-no-opt-in", channel: "whatsapp", contactId: never, whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["a", "b"] } } });
    expect((await settled(noOptIn.body.id)).body).toMatchObject({ status: "failed", error: expect.stringContaining("has not opted in") });

    const stopped = await contact("+14155550205", "Fay");
    await fake.postInbound("+14155550205", "stop");
    await waitFor(() => callRoute(routes.optIn.GET, { path: "/", apiKey, params: { id: stopped } }), (response) => response.body.optedIn === false);
    const afterStop = await notify({ messageId: "wa-after-stop", channel: "whatsapp", contactId: stopped, whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["a", "b"] } } });
    expect((await settled(afterStop.body.id)).body).toMatchObject({ status: "failed", error: expect.stringContaining("has not opted in") });
  });

  it("fails a template Meta rejects with Meta's reason, after one call and no retry", async () => {
    const contactId = await contact("+14155550206", "Gus");
    const before = fake.counters.requests;
    const queued = await notify({ messageId: "wa-bad-template", channel: "whatsapp", contactId, whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["only one"] } } });
    const failed = await settled(queued.body.id);
    expect(failed.body.status).toBe("failed");
    expect(failed.body.error).toContain("Number of parameters does not match the expected number of params");
    expect(failed.body.error).toContain("code 132000");
    const [run] = await waitFor(() => runsFor(queued.body.id), (runs) => runs[0]?.status === "completed");
    expect(run!.output).toMatchObject({ failed: 1 });
    expect(fake.counters.requests - before).toBe(1);
  });

  it("retries Meta's outage and sends once", async () => {
    const contactId = await contact("+14155550207", "Hal");
    fake.failNext(2, { status: 503 });
    const queued = await notify({ messageId: "wa-outage", channel: "whatsapp", contactId, whatsapp: { template: { name: "order_shipped", language: "en_US", variables: ["a", "b"] } } });
    const sent = await waitFor(() => statusOf(queued.body.id), (response) => response.body.status === "sent", 30_000);
    expect(fake.messages.filter((message) => message.id === sent.body.providerMessageId)).toHaveLength(1);
    expect(fake.counters.duplicates).toBe(0);
  });
});

describe("WhatsApp through Twilio", () => {
  let twilio: FakeTwilio;
  let webhook: typeof import("@/app/api/webhooks/twilio/route");
  const PUBLIC_URL = "https://hooks.sendline.test";
  const SENDER = "+14155238886";
  const ENV = ["WHATSAPP_PROVIDER", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_BASE_URL", "TWILIO_WHATSAPP_FROM", "TWILIO_STATUS_CALLBACK_URL", "PUBLIC_URL"];

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    Object.assign(process.env, {
      WHATSAPP_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_BASE_URL: twilio.url,
      TWILIO_WHATSAPP_FROM: SENDER,
      TWILIO_STATUS_CALLBACK_URL: `${PUBLIC_URL}/api/webhooks/twilio`,
      PUBLIC_URL,
    });
    webhook = await import("@/app/api/webhooks/twilio/route");
  });
  afterAll(async () => {
    for (const name of ENV) delete process.env[name];
    await twilio?.stop();
  });

  /** Posts form fields as Twilio does, signed for the public URL it called; the app sees a private host. */
  async function postSigned(url: string, params: Record<string, string>) {
    const { pathname, search } = new URL(url);
    const request = new Request(`http://10.0.0.7:3000${pathname}${search}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilioRequest(twilio.authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    return (await webhook.POST(request)).status;
  }

  it("sends an approved Content template, moves it forward on Twilio's signed callback, and a session message once the contact wrote", async () => {
    const contactId = await contact("+14155550301", "Tess");
    const contentSid = `HX${"0123456789abcdef".repeat(2)}`;
    const queued = await notify({ messageId: "wa-twilio-template", channel: "whatsapp", contactId, whatsapp: { template: { name: contentSid, language: "en", variables: ["{{ contact.first_name }}"] } } });
    const sent = await settled(queued.body.id);
    expect(sent.body).toMatchObject({ status: "sent", provider: "twilio", error: null });
    const wire = twilio.messages.find((message) => message.sid === sent.body.providerMessageId)!;
    expect(wire).toMatchObject({ to: "whatsapp:+14155550301", from: `whatsapp:${SENDER}`, contentSid, contentVariables: { "1": "Tess" } });

    expect(await postSigned(wire.statusCallback!, twilioStatusCallbackParams(wire, "delivered", twilio.accountSid))).toBe(200);
    await settled(queued.body.id, (status) => status === "delivered");

    // A session message is refused until the contact writes; their message opens the window.
    const early = await notify({ messageId: "wa-twilio-early", channel: "whatsapp", contactId, body: "Thanks, {{ contact.first_name }}" });
    expect((await settled(early.body.id)).body).toMatchObject({ status: "failed", error: expect.stringContaining("24-hour") });
    const inbound = twilioInboundParams({ from: "whatsapp:+14155550301", to: `whatsapp:${SENDER}`, body: "Where is my parcel?", accountSid: twilio.accountSid });
    expect(await postSigned(`${PUBLIC_URL}/api/webhooks/twilio`, inbound)).toBe(200);
    await waitFor(() => callRoute(routes.optIn.GET, { path: "/", apiKey, params: { id: contactId } }), (response) => response.body.lastInboundAt !== null);
    const reply = await notify({ messageId: "wa-twilio-session", channel: "whatsapp", contactId, body: "It left today, {{ contact.first_name }}." });
    const replied = await settled(reply.body.id);
    expect(replied.body).toMatchObject({ status: "sent", provider: "twilio" });
    expect(twilio.messages.find((message) => message.sid === replied.body.providerMessageId)).toMatchObject({ to: "whatsapp:+14155550301", body: "It left today, Tess.", contentSid: null });
  });
});
