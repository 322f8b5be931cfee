import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { advanceMessageStatus, findMessageById, insertMessage } from "@/db/queries/messages";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { findWhatsAppContact, recordWhatsAppOptIn } from "@/db/queries/whatsapp-contacts";
import { contacts } from "@/db/schema";
import { twilioDelivery } from "@/lib/providers/sms/twilio/twilio-sms-event";
import { processTwilioWebhook } from "@/lib/webhooks/process-twilio-webhook";
import { processWhatsAppWebhook } from "@/lib/webhooks/process-whatsapp-webhook";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { twilioInboundParams, twilioStatusCallbackParams } from "@/test/fakes/fake-twilio";
import { whatsappInbound, whatsappStatus } from "@/test/fakes/fake-whatsapp";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let seq = 3000;
const actor = "test";

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "WhatsApp webhooks" }));
});
afterAll(() => database.close());

async function sentMessage(provider: string, providerMessageId: string, recipient = `+1415555${seq++}`) {
  const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: `wa-${seq++}`, channel: "whatsapp", recipient, request: { data: {} } });
  await advanceMessageStatus(database.db, { workspaceId, messageId: row.id, to: "sent", set: { provider, providerMessageId } });
  return row;
}
async function storedMeta(deliveryId: string, payload: Record<string, unknown>) {
  await insertWebhookEvent(database.db, { provider: "whatsapp", deliveryId, type: "t", payload });
  return processWhatsAppWebhook(database.db, { deliveryId, actor });
}
async function storedTwilio(form: Record<string, string>, query: Record<string, string> = {}) {
  const payload = { form, query };
  const delivery = twilioDelivery(payload);
  if (!delivery.ok) throw new Error(delivery.message);
  await insertWebhookEvent(database.db, { provider: "twilio", deliveryId: delivery.deliveryId, type: delivery.type, payload });
  return processTwilioWebhook(database.db, { deliveryId: delivery.deliveryId, actor });
}

describe("processWhatsAppWebhook (Cloud API)", () => {
  it("moves a message forward on delivered and read, and a late sent changes nothing", async () => {
    const message = await sentMessage("meta", "wamid.fwd");
    for (const status of ["delivered", "read", "sent"]) {
      await storedMeta(`wamid.fwd:${status}`, { kind: "status", phoneNumberId: "1", status: whatsappStatus("wamid.fwd", message.recipient, status) });
    }
    expect(await findMessageById(database.db, { messageId: message.id })).toMatchObject({ status: "opened", deliveredAt: expect.any(Date), openedAt: expect.any(Date) });
  });

  it("fails a message with Meta's error", async () => {
    const message = await sentMessage("meta", "wamid.fail");
    const failed = whatsappStatus("wamid.fail", message.recipient, "failed", { code: 131026, title: "Message undeliverable" });
    expect(await storedMeta("wamid.fail:failed", { kind: "status", phoneNumberId: "1", status: failed })).toMatchObject({ outcome: "advanced", status: "failed" });
    expect(await findMessageById(database.db, { messageId: message.id })).toMatchObject({ status: "failed", error: expect.stringContaining("Message undeliverable") });
  });

  it("reports a status of a message it does not know", async () => {
    expect(await storedMeta("wamid.nobody:sent", { kind: "status", phoneNumberId: "1", status: whatsappStatus("wamid.nobody", "1", "sent") })).toMatchObject({
      outcome: "unknown_message",
      providerMessageId: "wamid.nobody",
    });
  });
});

describe("Twilio's WhatsApp webhooks", () => {
  it("moves a WhatsApp message sent through Twilio forward by its SID", async () => {
    const sid = `SM${"1".repeat(32)}`;
    const message = await sentMessage("twilio", sid);
    const params = twilioStatusCallbackParams({ sid, to: `whatsapp:${message.recipient}`, from: "whatsapp:+14155238886" }, "delivered", "AC1");
    expect(await storedTwilio(params)).toMatchObject({ type: "status", outcome: "advanced", status: "delivered" });
  });

  it("finds a WhatsApp message by the ids of its callback URL before its SID is recorded", async () => {
    const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: `wa-${seq++}`, channel: "whatsapp", recipient: "+14155550777", request: { data: {} } });
    await advanceMessageStatus(database.db, { workspaceId, messageId: row.id, to: "sent" });
    const sid = `SM${"2".repeat(32)}`;
    const params = twilioStatusCallbackParams({ sid, to: "whatsapp:+14155550777", from: "whatsapp:+14155238886" }, "read", "AC1");
    expect(await storedTwilio(params, { messageId: row.id, workspaceId })).toMatchObject({ outcome: "counted" });
    // The read is applied with its engagement fact (recordEngagement), once.
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ status: "opened", openCount: 1 });
    expect(await storedTwilio({ ...params }, { messageId: row.id, workspaceId })).toMatchObject({ outcome: "counted" });
    expect(await findMessageById(database.db, { messageId: row.id })).toMatchObject({ openCount: 1 });
  });

  it("opens the window for a WhatsApp message in, and withdraws the opt-in on STOP, without touching SMS consent", async () => {
    const phone = `+1415555${seq++}`;
    const [contact] = await database.db.insert(contacts).values({ workspaceId, phone }).returning({ id: contacts.id });
    await recordWhatsAppOptIn(database.db, { workspaceId, contactId: contact!.id, source: "form", at: new Date() });

    expect(await storedTwilio(twilioInboundParams({ from: `whatsapp:${phone}`, to: "whatsapp:+14155238886", body: "hello", accountSid: "AC1" }))).toMatchObject({ outcome: "whatsapp", contacts: 1 });
    expect(await findWhatsAppContact(database.db, { workspaceId, contactId: contact!.id })).toMatchObject({ lastInboundAt: expect.any(Date), optedInAt: expect.any(Date) });

    expect(await storedTwilio(twilioInboundParams({ from: `whatsapp:${phone}`, to: "whatsapp:+14155238886", body: "STOP", accountSid: "AC1" }))).toMatchObject({ outcome: "whatsapp", optedOut: 1 });
    expect(await findWhatsAppContact(database.db, { workspaceId, contactId: contact!.id })).toMatchObject({ optedInAt: null, optOutSource: "whatsapp_keyword" });
    const [row] = await database.db.select({ status: contacts.status }).from(contacts).where(eq(contacts.id, contact!.id));
    expect(row!.status).toBe("subscribed");
  });
});

describe("an inbound Cloud API message", () => {
  it("records START as the contact's own opt-in", async () => {
    const phone = `+1415555${seq++}`;
    const [contact] = await database.db.insert(contacts).values({ workspaceId, phone }).returning({ id: contacts.id });
    const message = whatsappInbound(phone.slice(1), "START", `wamid.start${seq}`);
    expect(await storedMeta(`inbound:${message.id}`, { kind: "inbound", phoneNumberId: "1", message })).toMatchObject({ type: "inbound", optedIn: 1 });
    expect(await findWhatsAppContact(database.db, { workspaceId, contactId: contact!.id })).toMatchObject({ optInSource: "whatsapp_keyword", lastInboundAt: expect.any(Date) });
  });
});
