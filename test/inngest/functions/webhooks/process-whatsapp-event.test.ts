import { randomBytes } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { findMessageById } from "@/db/queries/messages";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { findWhatsAppContact } from "@/db/queries/whatsapp-contacts";
import { processWhatsAppEvent } from "@/inngest/functions/webhooks/process-whatsapp-event";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { whatsappInbound, whatsappStatus } from "@/test/fakes/fake-whatsapp";
import { useTestDatabase } from "@/test/support/database";
import { contact, sentMessage } from "./webhook-fixtures";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "A" })).workspace.id;
});
afterAll(() => database.close());

/** Stores one notification as the route would (same delivery key) and runs the function on its event. */
async function deliver(deliveryId: string, payload: Record<string, unknown> | null) {
  if (payload) await insertWebhookEvent(database.db, { provider: "whatsapp", deliveryId, type: "t", payload });
  const run = await new InngestTestEngine({ function: processWhatsAppEvent }).execute({
    events: [{ name: "provider/webhook.received", data: { provider: "whatsapp", deliveryId } } as never],
  });
  // One webhook in a batch of its own: `result` is that webhook's result.
  return { ...run, result: (run.result as { results?: unknown[] } | undefined)?.results?.[0] };
}
const wamid = () => `wamid.${randomBytes(12).toString("base64url")}`;

describe("process-whatsapp-event", () => {
  it("moves a message to delivered", async () => {
    const id = wamid();
    const message = await sentMessage(database, { workspaceId, channel: "whatsapp", recipient: "+14155550101", provider: "meta", providerMessageId: id });
    const { result } = await deliver(`${id}:delivered`, { kind: "status", phoneNumberId: "1", status: whatsappStatus(id, "14155550101", "delivered") });
    expect(result).toMatchObject({ type: "status", outcome: "advanced", status: "delivered" });
    expect(await findMessageById(database.db, { messageId: message.id })).toMatchObject({ status: "delivered" });
  });

  it("opens the contact's window on an inbound message", async () => {
    const row = await contact(database, { workspaceId, phone: "+14155550102" });
    const inbound = whatsappInbound("14155550102", "hi");
    const { result } = await deliver(`inbound:${inbound.id}`, { kind: "inbound", phoneNumberId: "1", message: inbound });
    expect(result).toMatchObject({ type: "inbound", outcome: "recorded", contacts: 1 });
    expect(await findWhatsAppContact(database.db, { workspaceId, contactId: row.id })).toMatchObject({ lastInboundAt: expect.any(Date) });
  });

  it("records a stored payload of another shape without retrying it", async () => {
    const { result, error } = await deliver(`bad-${wamid()}`, { kind: "status", phoneNumberId: "1", status: { id: "x" } });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ outcome: "invalid_payload", error: "Not a stored WhatsApp webhook item" });
  });

  it("feeds delivered and read into the engagement stream, the read counted once on the message", async () => {
    const id = wamid();
    const message = await sentMessage(database, { workspaceId, channel: "whatsapp", recipient: "+14155550103", provider: "meta", providerMessageId: id });
    await deliver(`${id}:delivered`, { kind: "status", phoneNumberId: "1", status: whatsappStatus(id, "14155550103", "delivered") });
    await deliver(`${id}:read`, { kind: "status", phoneNumberId: "1", status: whatsappStatus(id, "14155550103", "read") });
    await deliver(`${id}:read`, null); // the same notification's event again (a replay)
    expect(await findMessageById(database.db, { messageId: message.id })).toMatchObject({ status: "opened", openCount: 1 });
    const timeline = await listMessageEngagement(database.db, { workspaceId, messageId: message.id });
    expect(timeline.map((event) => [event.type, event.source, event.firstOpen])).toEqual([
      ["delivered", "whatsapp", false],
      ["opened", "whatsapp", true],
    ]);
  });

  it("retries while the webhook is not stored yet (a redelivery will store it)", async () => {
    const { error } = await deliver(`missing-${wamid()}`, null);
    expect(error).toMatchObject({ message: expect.stringContaining("No stored whatsapp webhook") });
    expect((error as { name?: string }).name).not.toBe("NonRetriableError");
  });
});
