import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import {
  campaignChunks,
  campaigns,
  contactEnrichments,
  contacts,
  digestItems,
  digests,
  engagementEvents,
  importContacts,
  importErrors,
  imports,
  messages,
  outboxMessages,
  templates,
  webhookEvents,
} from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

const DAY_MS = 86_400_000;

/**
 * A workspace with, for every retention rule, one thing past a 30-day rule ("old") and things a
 * 30-day rule must leave alone: newer, still in use, or another rule's business. Times are
 * relative to `now`, written explicitly (never the database's clock).
 */
export type RetentionWorld = Awaited<ReturnType<typeof seedRetentionWorld>>;

export async function seedRetentionWorld(db: Db, options: { name: string; now: Date }) {
  const ago = (days: number) => new Date(options.now.getTime() - days * DAY_MS);
  const { workspace, apiKey } = await createWorkspace(db, { name: `${options.name} ${randomUUID().slice(0, 8)}` });
  const workspaceId = workspace.id;
  const tag = randomUUID().slice(0, 8);

  const contact = async (name: string, fields: Partial<typeof contacts.$inferInsert> = {}) =>
    (
      await db
        .insert(contacts)
        .values({ workspaceId, email: `${name}-${tag}@example.com`, phone: null, firstName: name, lastName: "Doe", birthday: "1990-04-02", birthdayMonth: 4, birthdayDay: 2, attributes: { plan: "pro" }, createdAt: ago(400), updatedAt: ago(400), ...fields })
        .returning()
    )[0]!;
  const quiet = await contact("quiet");
  const messaged = await contact("messaged");
  const engaged = await contact("engaged");
  const edited = await contact("edited", { updatedAt: ago(5) });
  const erasing = await contact("erasing", { erasureRequestedAt: ago(1) });
  await db.insert(contactEnrichments).values({ contactId: quiet.id, workspaceId, domain: "example.com", company: "Example", isFreeMail: false, provider: "local", enrichedAt: ago(300) });

  const [template] = await db.insert(templates).values({ workspaceId, channel: "email", name: `T ${tag}`, subject: "Hi", body: "<p>Hi</p>" }).returning();
  const message = async (contactId: string, queuedAt: Date, fields: Partial<typeof messages.$inferInsert> = {}) =>
    (
      await db
        .insert(messages)
        .values({
          workspaceId,
          idempotencyKey: randomUUID(),
          channel: "email",
          recipient: `to-${tag}@example.com`,
          contactId,
          request: { subject: "Your order", body: "Dear Ann", data: { order: 42 } },
          subject: "Your order",
          status: "delivered",
          provider: "resend",
          providerMessageId: `re_${randomUUID()}`,
          queuedAt,
          sentAt: queuedAt,
          ...fields,
        })
        .returning()
    )[0]!;
  const quietMessage = await message(quiet.id, ago(200));
  const recentMessage = await message(messaged.id, ago(5));
  const oldMessage = await message(messaged.id, ago(60));
  const oldQueued = await message(edited.id, ago(60), { status: "queued", sentAt: null });
  const oldDeadLetter = await message(edited.id, ago(60), { status: "failed", deadLetteredAt: ago(59), sentAt: null });
  await db.insert(engagementEvents).values([
    { workspaceId, messageId: quietMessage.id, contactId: quiet.id, channel: "email", type: "opened", source: "pixel", occurredAt: ago(190), dedupeKey: randomUUID() },
    { workspaceId, messageId: oldMessage.id, contactId: engaged.id, channel: "email", type: "clicked", source: "redirect", occurredAt: ago(3), dedupeKey: randomUUID() },
  ]);

  const outbox = async (messageId: string, createdAt: Date) =>
    (
      await db
        .insert(outboxMessages)
        .values({ workspaceId, idempotencyKey: randomUUID(), messageId, channel: "email", from: "shop@example.com", to: `to-${tag}@example.com`, subject: "Your order", html: "<p>Dear Ann</p>", text: "Dear Ann", createdAt })
        .returning()
    )[0]!;
  const oldOutbox = await outbox(oldMessage.id, ago(60));
  const recentOutbox = await outbox(recentMessage.id, ago(5));
  const quietOutbox = await outbox(quietMessage.id, ago(200));

  const webhook = async (providerMessageId: string, receivedAt: Date) => {
    const deliveryId = `msg_${randomUUID()}`;
    await db.insert(webhookEvents).values({ provider: "resend", deliveryId, type: "email.delivered", payload: { type: "email.delivered", data: { email_id: providerMessageId, to: ["ann@example.com"] } }, receivedAt });
    return deliveryId;
  };
  const oldWebhook = await webhook(oldMessage.providerMessageId!, ago(60));
  const recentWebhook = await webhook(recentMessage.providerMessageId!, ago(5));

  const importRow = async (status: "completed" | "running", finishedAt: Date | null) =>
    (
      await db
        .insert(imports)
        .values({ workspaceId, status, fileKey: `imports/${workspaceId}/${randomUUID()}`, fileName: "c.csv", sha256: randomUUID(), bytes: 10, mappingHash: randomUUID(), chunkRows: 100, finishedAt, updatedAt: finishedAt ?? ago(60) })
        .returning()
    )[0]!;
  const oldImport = await importRow("completed", ago(60));
  const recentImport = await importRow("completed", ago(5));
  const runningImport = await importRow("running", null);
  for (const row of [oldImport, recentImport, runningImport]) {
    await db.insert(importErrors).values([{ importId: row.id, workspaceId, line: 2, reason: "invalid_email", value: "not-an-email" }]);
    await db.insert(importContacts).values({ importId: row.id, contactId: edited.id, line: 3, inserted: true });
  }

  const campaign = async (status: "sent" | "sending", finishedAt: Date | null) => {
    const [row] = await db.insert(campaigns).values({ workspaceId, name: `C ${randomUUID().slice(0, 6)}`, channel: "email", templateId: template!.id, audience: { listId: randomUUID() }, status, finishedAt, updatedAt: finishedAt ?? ago(60) }).returning();
    await db.insert(campaignChunks).values([0, 1].map((chunk) => ({ campaignId: row!.id, chunk, recipients: 1, status: "done" as const })));
    return row!;
  };
  const oldCampaign = await campaign("sent", ago(60));
  const recentCampaign = await campaign("sent", ago(5));
  const sendingCampaign = await campaign("sending", null);

  const digest = async (contactId: string, status: "sent" | "pending", updatedAt: Date) => {
    const [row] = await db.insert(digests).values({ workspaceId, contactId, category: "updates", channel: "email", status, flushAt: updatedAt, updatedAt }).returning();
    const [item] = await db.insert(digestItems).values({ workspaceId, digestId: row!.id, idempotencyKey: randomUUID(), subject: "New comment", body: "Ann wrote" }).returning();
    return { digest: row!, item: item! };
  };
  const oldDigest = await digest(edited.id, "sent", ago(60));
  const pendingDigest = await digest(messaged.id, "pending", ago(60));

  return {
    workspaceId,
    apiKey,
    contacts: { quiet, messaged, engaged, edited, erasing },
    messages: { quietMessage, recentMessage, oldMessage, oldQueued, oldDeadLetter },
    outbox: { oldOutbox, recentOutbox, quietOutbox },
    webhooks: { oldWebhook, recentWebhook },
    imports: { oldImport, recentImport, runningImport },
    campaigns: { oldCampaign, recentCampaign, sendingCampaign },
    digests: { oldDigest, pendingDigest },
  };
}
