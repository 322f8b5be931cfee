import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { suppress } from "@/db/queries/suppressions";
import { contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { type RecordedEvent, startEventRecorder } from "@/test/support/event-recorder";

// The route sends its event to an Inngest server; a loopback recorder plays that part here,
// and the recorded events are handed to the real function. The engine tests run the same
// flow through a full server.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const routes = await import("@/app/api/v1/notifications/route");
const detail = await import("@/app/api/v1/notifications/[id]/route");
const templatesRoute = await import("@/app/api/v1/templates/route");
const { sendNotification } = await import("@/inngest/functions/notifications/send-notification");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const post = (body: unknown, key: string | undefined = apiKey) =>
  callRoute(routes.POST, { method: "POST", path: "/api/v1/notifications", apiKey: key, body });

async function run(event: RecordedEvent) {
  const engine = new InngestTestEngine({ function: sendNotification });
  return engine.execute({ events: [event as never] });
}

const lastEvent = () => recorder.events.at(-1)!;

describe("POST /api/v1/notifications", () => {
  it("queues an email and the function delivers it to the outbox once, even when posted twice", async () => {
    const request = { messageId: "order-1001", channel: "email", to: "Ann@Example.com", subject: "Order {{ n }}", body: "<p>Thanks, {{ name }}</p>", data: { n: 1001, name: "Ann" } };
    const first = await post(request);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ id: expect.any(String), messageId: "order-1001", status: "queued" });
    const firstEvent = lastEvent();

    const second = await post(request);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    // Same event id both times: the Inngest server starts one run for both.
    expect(lastEvent().id).toBe(firstEvent.id);
    expect(firstEvent).toMatchObject({ name: "notification/send.requested", data: { workspaceId, messageId: first.body.id } });

    const { result } = await run(firstEvent);
    expect(result).toMatchObject({ sent: 1, failed: 0 });
    // A replay of the run (or a second run) sends nothing new.
    expect((await run(firstEvent)).result).toMatchObject({ sent: 0, skipped: 1 });

    const outbox = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: first.body.id }, limit: 10 });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to: "ann@example.com", subject: "Order 1001", html: "<p>Thanks, Ann</p>", text: "Thanks, Ann" });

    const status = await callRoute(detail.GET, { path: `/api/v1/notifications/${first.body.id}`, apiKey, params: { id: first.body.id } });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      id: first.body.id,
      status: "sent",
      channel: "email",
      recipient: "ann@example.com",
      provider: "outbox",
      providerMessageId: expect.any(String),
      error: null,
      timestamps: { queuedAt: expect.any(String), sentAt: expect.any(String) },
    });
  });

  it("sends SMS through a stored template to a contact", async () => {
    const template = await callRoute(templatesRoute.POST, {
      method: "POST",
      path: "/api/v1/templates",
      apiKey,
      body: { channel: "sms", name: "otp", body: "Hi {{ contact.first_name }}, your code is {{ code }}" },
    });
    expect(template.status).toBe(201);
    const [contact] = await database.db.insert(contacts).values({ workspaceId, phone: "+14155550123", firstName: "Bo" }).returning();
    const queued = await post({ messageId: "otp-1", channel: "sms", contactId: contact!.id, templateId: template.body.id, data: { code: "424242" } });
    expect(queued.status).toBe(202);
    expect((await run(lastEvent())).result).toMatchObject({ sent: 1 });
    const [sms] = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: queued.body.id }, limit: 1 });
    expect(sms).toMatchObject({ channel: "sms", to: "+14155550123", text: "Hi Bo, your code is 424242" });
  });

  it("does not send to a suppressed address", async () => {
    await suppress(database.db, { workspaceId, channel: "email", address: "bounced@example.com", reason: "hard_bounce" });
    const queued = await post({ messageId: "m-suppressed", channel: "email", to: "Bounced@example.com", subject: "Hi", body: "x" });
    expect((await run(lastEvent())).result).toMatchObject({ sent: 0, suppressed: 1 });
    const outbox = await listOutboxMessages(database.db, { workspaceId, filter: { messageId: queued.body.id }, limit: 1 });
    expect(outbox).toHaveLength(0);
    const status = await callRoute(detail.GET, { path: "/", apiKey, params: { id: queued.body.id } });
    expect(status.body).toMatchObject({ status: "suppressed", error: "Recipient is on the suppression list" });
  });

  it("fails the message without retrying when the data does not fit the template", async () => {
    const queued = await post({ messageId: "m-bad-data", channel: "email", to: "a@example.com", subject: "Hi", body: "{{ constructor }}" });
    expect(queued.status).toBe(202);
    // The message fails on its own; the run (which may carry 99 others) completes.
    expect((await run(lastEvent())).result).toMatchObject({ sent: 0, failed: 1 });
    const status = await callRoute(detail.GET, { path: "/", apiKey, params: { id: queued.body.id } });
    expect(status.body).toMatchObject({ status: "failed", error: "template variable `constructor` is undefined in the body, line 1" });
  });

  it("fails a template whose loop would exhaust memory, without retrying", async () => {
    const queued = await post({ messageId: "m-loop", channel: "email", to: "a@example.com", subject: "Hi", body: "{% for i in (1..1000000000) %}{{ i }}{% endfor %}" });
    expect((await run(lastEvent())).result).toMatchObject({ failed: 1 });
    const status = await callRoute(detail.GET, { path: "/", apiKey, params: { id: queued.body.id } });
    expect(status.body).toMatchObject({ status: "failed", error: expect.stringMatching(/^the template exceeds a size or time limit .* in the body, line 1$/) });
  });

  it("answers 503 and keeps the message when the event cannot be queued, and a retry queues it", async () => {
    recorder.failNext(10);
    const failed = await post({ messageId: "m-retry", channel: "email", to: "a@example.com", subject: "Hi", body: "x" });
    expect(failed.status).toBe(503);
    recorder.failNext(0);
    const retried = await post({ messageId: "m-retry", channel: "email", to: "a@example.com", subject: "Hi", body: "x" });
    expect(retried.status).toBe(202);
    expect(lastEvent().data).toMatchObject({ workspaceId });
  });

  describe("rejects bad input", () => {
    it.each([
      ["no key", undefined, 401],
      ["a malformed key", "nope", 401],
      ["a well-formed but unknown key", "sl_00000000_" + "a".repeat(43), 401],
    ])("with %s → %i", async (_case, key, status) => {
      const response = await post({ messageId: "x", channel: "email", to: "a@example.com", subject: "s", body: "b" }, key ?? "");
      expect(response.status).toBe(status);
      expect(response.body.error.code).toBe("unauthorized");
    });

    it("malformed JSON → 400", async () => {
      const response = await post("{ not json");
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("invalid_json");
    });

    it.each([
      ["an unknown field", { messageId: "x", channel: "email", to: "a@example.com", subject: "s", body: "b", workspaceId: "w" }, "workspaceId"],
      ["a missing messageId", { channel: "email", to: "a@example.com", subject: "s", body: "b" }, "messageId"],
      ["an unknown channel", { messageId: "x", channel: "pigeon", to: "a@example.com", body: "b" }, "channel"],
      ["both to and contactId", { messageId: "x", channel: "email", to: "a@example.com", contactId: crypto.randomUUID(), subject: "s", body: "b" }, "to"],
      ["neither to nor contactId", { messageId: "x", channel: "email", subject: "s", body: "b" }, "to"],
      ["a bad email", { messageId: "x", channel: "email", to: "not-an-email", subject: "s", body: "b" }, "to"],
      ["a phone not in E.164", { messageId: "x", channel: "sms", to: "415 555 0123", body: "b" }, "to"],
      ["an email without subject", { messageId: "x", channel: "email", to: "a@example.com", body: "b" }, "subject"],
      ["a WhatsApp number not in E.164", { messageId: "x", channel: "whatsapp", to: "0415 555 0123", body: "b" }, "to"],
      ["a WhatsApp message with a subject", { messageId: "x", channel: "whatsapp", to: "+14155550123", subject: "s", body: "b" }, "subject"],
      ["a push without a title", { messageId: "x", channel: "push", contactId: crypto.randomUUID(), body: "b" }, "subject"],
      ["a push to an address rather than a contact", { messageId: "x", channel: "push", to: "a@example.com", subject: "s", body: "b" }, "to"],
      ["an in-app message to an address rather than a contact", { messageId: "x", channel: "in_app", to: "+14155550123", body: "b" }, "to"],
      ["template and body together", { messageId: "x", channel: "email", to: "a@example.com", templateId: crypto.randomUUID(), body: "b" }, "templateId"],
      ["a template that does not parse", { messageId: "x", channel: "email", to: "a@example.com", subject: "s", body: "{% if %}" }, "body"],
      ["data that is not an object", { messageId: "x", channel: "sms", to: "+14155550123", body: "b", data: [1] }, "data"],
      ["oversized data", { messageId: "x", channel: "sms", to: "+14155550123", body: "b", data: { blob: "x".repeat(70_000) } }, "data"],
    ])("%s → 400 with a field error", async (_case, body, field) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.error.fields)).toContain(field);
    });

    it("data nested thousands deep → 400 naming data, not a stack overflow", async () => {
      const deep = `${"[".repeat(50_000)}1${"]".repeat(50_000)}`;
      const response = await post(`{"messageId":"deep","channel":"sms","to":"+14155550123","body":"b","data":{"x":${deep}}}`);
      expect(response.status).toBe(400);
      expect(response.body.error.fields).toEqual({ data: ["may nest objects and arrays at most 16 levels deep"] });
    });

    it("a body over the 1 MiB cap → 413", async () => {
      const response = await post({ messageId: "big", channel: "sms", to: "+14155550123", body: "b", data: { blob: "x".repeat(2 * 1024 * 1024) } });
      expect(response.status).toBe(413);
      expect(response.body.error).toEqual({ code: "payload_too_large", message: "Request bodies are limited to 1 MiB" });
    });

    it("another workspace's template → 404", async () => {
      const foreign = await callRoute(templatesRoute.POST, {
        method: "POST",
        path: "/api/v1/templates",
        apiKey: otherKey,
        body: { channel: "email", name: "foreign", subject: "s", body: "b" },
      });
      const response = await post({ messageId: "x-foreign-t", channel: "email", to: "a@example.com", templateId: foreign.body.id });
      expect(response.status).toBe(404);
    });

    it("another workspace's contact → 404", async () => {
      const other = await createWorkspace(database.db, { name: "Third" });
      const [contact] = await database.db.insert(contacts).values({ workspaceId: other.workspace.id, email: "c@example.com" }).returning();
      const response = await post({ messageId: "x-foreign-c", channel: "email", contactId: contact!.id, subject: "s", body: "b" });
      expect(response.status).toBe(404);
    });

    it("another workspace's notification → 404", async () => {
      const mine = await post({ messageId: "mine-1", channel: "sms", to: "+14155550123", body: "b" });
      const response = await callRoute(detail.GET, { path: "/", apiKey: otherKey, params: { id: mine.body.id } });
      expect(response.status).toBe(404);
      const malformed = await callRoute(detail.GET, { path: "/", apiKey, params: { id: "../../etc" } });
      expect(malformed.status).toBe(404);
    });
  });
});
