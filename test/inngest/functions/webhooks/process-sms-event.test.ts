import { randomBytes, randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { findMessageById } from "@/db/queries/messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { auditLog, contacts } from "@/db/schema";
import { processSmsEvent } from "@/inngest/functions/webhooks/process-sms-event";
import { twilioDelivery } from "@/lib/providers/sms/twilio/twilio-sms-event";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { twilioInboundParams, twilioStatusCallbackParams } from "@/test/fakes/fake-twilio";
import { useTestDatabase } from "@/test/support/database";
import { contact, sentMessage } from "./webhook-fixtures";

let database: Database;
let workspaceA: string;
let workspaceB: string;
const ACCOUNT = `AC${randomBytes(16).toString("hex")}`;
const OUR_NUMBER = "+14155550999";

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceA = (await createWorkspace(database.db, { name: "A" })).workspace.id;
  workspaceB = (await createWorkspace(database.db, { name: "B" })).workspace.id;
});
afterAll(() => database.close());

/** Stores a webhook as the route would (same delivery key) and runs the function on its event. */
async function deliver(form: Record<string, string>, query: Record<string, string> = {}) {
  const payload = { form, query };
  const delivery = twilioDelivery(payload);
  if (!delivery.ok) throw new Error(delivery.message);
  await insertWebhookEvent(database.db, { provider: "twilio", deliveryId: delivery.deliveryId, type: delivery.type, payload });
  const run = await new InngestTestEngine({ function: processSmsEvent }).execute({
    events: [{ name: "provider/webhook.received", data: { provider: "twilio", deliveryId: delivery.deliveryId } } as never],
  });
  // One webhook in a batch of its own: `result` is that webhook's result.
  return { ...run, result: (run.result as { results?: unknown[] } | undefined)?.results?.[0] };
}

const newSid = () => `SM${randomBytes(16).toString("hex")}`;
async function smsMessage(workspaceId: string, to: string, sid: string | null = newSid()) {
  const message = await sentMessage(database, { workspaceId, channel: "sms", recipient: to, provider: "twilio", providerMessageId: sid });
  return { message, twilio: { sid: sid ?? newSid(), to, from: OUR_NUMBER } };
}
const status = (twilio: { sid: string; to: string; from: string }, value: string, errorCode?: string) =>
  twilioStatusCallbackParams(twilio, value, ACCOUNT, errorCode);
const inbound = (from: string, body: string) => twilioInboundParams({ from, to: OUR_NUMBER, body, accountSid: ACCOUNT });
const reload = async (id: string) => (await findMessageById(database.db, { messageId: id }))!;
const contactRow = async (id: string) => (await database.db.select().from(contacts).where(eq(contacts.id, id)))[0]!;

describe("process-sms-event: status callbacks", () => {
  it.each([
    ["queued", "sent"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["undelivered", "failed"],
    ["failed", "failed"],
  ])("Twilio %s → message %s", async (twilioStatus, expected) => {
    const { message, twilio } = await smsMessage(workspaceA, "+14155550101");
    const { error } = await deliver(status(twilio, twilioStatus));
    expect(error).toBeUndefined();
    expect((await reload(message.id)).status).toBe(expected);
  });

  it("a late 'sent' after 'delivered' does not move the message back", async () => {
    const { message, twilio } = await smsMessage(workspaceA, "+14155550102");
    await deliver(status(twilio, "delivered"));
    const { result } = await deliver(status(twilio, "sent"));
    expect(result).toMatchObject({ outcome: "unchanged", status: "delivered" });
    expect((await reload(message.id)).status).toBe("delivered");
  });

  it("an undelivered landline (30006) suppresses the number; an ordinary failure does not", async () => {
    const landline = await smsMessage(workspaceA, "+14155550103");
    await deliver(status(landline.twilio, "undelivered", "30006"));
    expect(await reload(landline.message.id)).toMatchObject({ status: "failed", error: "Twilio reported undelivered (error 30006)" });
    expect(await isSuppressed(database.db, { workspaceId: workspaceA, channel: "sms", address: "+14155550103" })).toBe(true);

    const busy = await smsMessage(workspaceA, "+14155550104");
    await deliver(status(busy.twilio, "failed", "30001"));
    expect(await isSuppressed(database.db, { workspaceId: workspaceA, channel: "sms", address: "+14155550104" })).toBe(false);
  });

  it("finds the message through the callback URL's messageId when the SID was not recorded yet", async () => {
    const { message, twilio } = await smsMessage(workspaceA, "+14155550105", null);
    await deliver(status(twilio, "delivered"), { messageId: message.id, workspaceId: workspaceA });
    expect(await reload(message.id)).toMatchObject({ status: "delivered", providerMessageId: twilio.sid });
  });

  it("ignores a status for an unknown SID, and a messageId claimed for another workspace", async () => {
    const unknown = await deliver(status({ sid: newSid(), to: "+14155550106", from: OUR_NUMBER }, "delivered"));
    expect(unknown.result).toMatchObject({ outcome: "unknown_message" });
    const { message, twilio } = await smsMessage(workspaceA, "+14155550107", null);
    const forged = await deliver(status(twilio, "delivered"), { messageId: message.id, workspaceId: workspaceB });
    expect(forged.result).toMatchObject({ outcome: "unknown_message" });
    expect((await reload(message.id)).status).toBe("sending");
  });
});

describe("process-sms-event: inbound keywords", () => {
  it("STOP unsubscribes the contact in every workspace that texted the number, suppresses it and records why", async () => {
    const phone = "+14155550200";
    const inA = await contact(database, { workspaceId: workspaceA, phone });
    const inB = await contact(database, { workspaceId: workspaceB, phone });
    await smsMessage(workspaceA, phone);

    const { result, error } = await deliver(inbound(phone, "  stop \n"));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ type: "inbound", outcome: "opt-out", workspaces: 1, unsubscribed: 1 });
    expect(await contactRow(inA.id)).toMatchObject({ status: "unsubscribed", unsubscribedAt: expect.any(Date) });
    // Workspace B never texted this number: its contact is not A's to change.
    expect((await contactRow(inB.id)).status).toBe("subscribed");
    expect(await isSuppressed(database.db, { workspaceId: workspaceA, channel: "sms", address: phone })).toBe(true);
    const audit = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, workspaceA), eq(auditLog.targetId, inA.id)));
    expect(audit).toEqual([
      expect.objectContaining({ action: "contact.unsubscribed", actor: "function:process-sms-event", details: expect.objectContaining({ source: "sms_keyword", keyword: "STOP" }) }),
    ]);
  });

  it.each([
    ["STOPALL", "+14155551001"],
    ["unsubscribe", "+14155551002"],
    ["Cancel", "+14155551003"],
    ["END", "+14155551004"],
    ["quit", "+14155551005"],
  ])("%s is an opt-out too", async (word, phone) => {
    const person = await contact(database, { workspaceId: workspaceA, phone });
    await smsMessage(workspaceA, phone);
    await deliver(inbound(phone, word));
    expect((await contactRow(person.id)).status).toBe("unsubscribed");
  });

  it("START re-subscribes only a contact that a keyword unsubscribed, and lifts the keyword's suppression", async () => {
    const phone = "+14155550300";
    const texter = await contact(database, { workspaceId: workspaceA, phone });
    await smsMessage(workspaceA, phone);
    await deliver(inbound(phone, "STOP"));
    const { result } = await deliver(inbound(phone, "start"));
    expect(result).toMatchObject({ outcome: "opt-in", resubscribed: 1 });
    expect(await contactRow(texter.id)).toMatchObject({ status: "subscribed", unsubscribedAt: null });
    expect(await isSuppressed(database.db, { workspaceId: workspaceA, channel: "sms", address: phone })).toBe(false);
  });

  it("START leaves alone a contact who unsubscribed some other way", async () => {
    const phone = "+14155550301";
    const optedOut = await contact(database, { workspaceId: workspaceA, phone, status: "unsubscribed", unsubscribedAt: new Date("2026-01-01T00:00:00Z") });
    await smsMessage(workspaceA, phone);
    await deliver(inbound(phone, "STOP"));
    const { result } = await deliver(inbound(phone, "UNSTOP"));
    expect(result).toMatchObject({ outcome: "opt-in", resubscribed: 0 });
    expect(await contactRow(optedOut.id)).toMatchObject({ status: "unsubscribed", unsubscribedAt: new Date("2026-01-01T00:00:00Z") });
  });

  it("other text is acknowledged and changes nothing", async () => {
    const phone = "+14155550400";
    const person = await contact(database, { workspaceId: workspaceA, phone });
    await smsMessage(workspaceA, phone);
    const { result } = await deliver(inbound(phone, "please stop texting me on weekends"));
    expect(result).toMatchObject({ outcome: "no_keyword" });
    expect((await contactRow(person.id)).status).toBe("subscribed");
  });

  it("records a stored payload Twilio never sends, and applies the batch's other callbacks and their facts", async () => {
    const deliveryId = `bad-${randomUUID()}`;
    await insertWebhookEvent(database.db, { provider: "twilio", deliveryId, type: "message.inbound", payload: { form: { Body: "STOP" }, query: {} } });
    const { message, twilio } = await smsMessage(workspaceA, "+14155550177");
    const good = status(twilio, "delivered");
    const delivery = twilioDelivery({ form: good, query: {} });
    if (!delivery.ok) throw new Error(delivery.message);
    await insertWebhookEvent(database.db, { provider: "twilio", deliveryId: delivery.deliveryId, type: delivery.type, payload: { form: good, query: {} } });
    const { result, error } = await new InngestTestEngine({ function: processSmsEvent }).execute({
      events: [deliveryId, delivery.deliveryId].map((id) => ({ name: "provider/webhook.received", data: { provider: "twilio", deliveryId: id } })) as never,
    });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({
      webhooks: 2,
      results: [{ outcome: "invalid_payload", error: "MessageSid is missing" }, { outcome: "advanced", status: "delivered" }],
      engagement: { recorded: 1 },
    });
    const timeline = await listMessageEngagement(database.db, { workspaceId: workspaceA, messageId: message.id });
    expect(timeline.map((event) => [event.type, event.source, event.channel])).toEqual([["delivered", "twilio", "sms"]]);
  });
});
