import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { setContactChoices } from "@/db/queries/contact-preferences";
import { findMessageById, insertMessage } from "@/db/queries/messages";
import { recordWhatsAppInbound, recordWhatsAppOptIn } from "@/db/queries/whatsapp-contacts";
import { insertCategory, type NotificationCategory } from "@/db/queries/notification-categories";
import { contacts } from "@/db/schema";
import type { Channel } from "@/core/messages/channels";
import { prepareMessage } from "@/lib/notifications/prepare-message";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let contactId: string;
let n = 0;

const fields = { description: null, urgent: false, channelDefaults: {} };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Prepare" }));
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: "opted@example.com", phone: "+14155550123" }).returning();
  contactId = contact!.id;
  // WhatsApp's own rules (opt-in, the 24-hour window) pass, so only preferences decide below.
  await recordWhatsAppOptIn(database.db, { workspaceId, contactId, source: "test", at: new Date() });
  await recordWhatsAppInbound(database.db, { phone: "+14155550123", at: new Date() });
  const billing = (await insertCategory(database.db, { workspaceId, key: "billing", name: "Billing", required: false, ...fields })) as NotificationCategory;
  await insertCategory(database.db, { workspaceId, key: "security", name: "Security", required: true, ...fields });
  // Opted out of billing on every channel, and of everything on WhatsApp.
  await setContactChoices(database.db, {
    workspaceId,
    contactId,
    source: "api",
    cells: [
      ...(["email", "sms", "push", "in_app"] as const).map((channel) => ({ channel, categoryId: billing.id, enabled: false })),
      { channel: "whatsapp", categoryId: null, enabled: false },
    ],
  });
});
afterAll(() => database.close());

const RECIPIENT: Record<Channel, string> = { email: "opted@example.com", sms: "+14155550123", whatsapp: "+14155550123", push: "", in_app: "" };

async function queued(channel: Channel, category: string | null) {
  const { row } = await insertMessage(database.db, {
    workspaceId,
    idempotencyKey: `prepare-${++n}`,
    channel,
    recipient: RECIPIENT[channel] || contactId,
    contactId,
    category,
    request: { subject: channel === "sms" || channel === "whatsapp" ? undefined : "Hi", body: "Manage: {{ preferences_url }}", data: {} },
  });
  return row;
}

describe("prepareMessage checks the contact's preferences at send time, on every channel", () => {
  it.each(["email", "sms", "push", "in_app"] as const)("%s: billing is suppressed with the reason; security and uncategorised are ready", async (channel) => {
    const billing = await queued(channel, "billing");
    expect(await prepareMessage(database.db, billing)).toEqual({ outcome: "suppressed" });
    const label = { email: "Email", sms: "SMS", push: "Push", in_app: "In-app" }[channel];
    expect(await findMessageById(database.db, { messageId: billing.id })).toMatchObject({ status: "suppressed", error: `The contact opted out of billing on ${label}` });
    for (const category of ["security", null]) {
      const prepared = await prepareMessage(database.db, await queued(channel, category));
      expect(prepared.outcome).toBe("ready");
    }
  });

  it("a channel-wide opt-out blocks uncategorised messages there too, but never a required category", async () => {
    expect((await prepareMessage(database.db, await queued("whatsapp", null))).outcome).toBe("suppressed");
    expect((await prepareMessage(database.db, await queued("whatsapp", "security"))).outcome).toBe("ready");
  });

  it("renders `preferences_url` into the message: a link to this message's preference center", async () => {
    const message = await queued("sms", null);
    const prepared = await prepareMessage(database.db, message);
    if (prepared.outcome !== "ready") throw new Error(prepared.outcome);
    expect(prepared.rendered).toMatchObject({ text: expect.stringMatching(/^Manage: https?:\/\/[^ ]+\/p\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/) });
  });
});
