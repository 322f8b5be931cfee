import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { ARCHIVED_TABLES, type ArchivedTable, readAllArchivedRows } from "@/db/queries/archived-rows";
import type { Campaign } from "@/db/queries/campaigns";
import { insertMessage } from "@/db/queries/messages";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { insertOutboxMessage } from "@/db/queries/outbox-messages";
import { campaignRecipients, campaigns } from "@/db/schema";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { plannedCampaign } from "./planned-campaign";

/**
 * A campaign that went out and ended `endedAt`: every recipient sent, with its message (linked to
 * the contact), a provider attempt, an outbox copy, and sent / delivered / opened / clicked events
 * through the one writer; the rollups filled as the real stream fills them.
 */
export async function archivableCampaign(db: Db, params: { workspaceId: string; prefix: string; size?: number; endedAt?: Date }): Promise<{ campaign: Campaign; messageIds: string[]; contactIds: string[] }> {
  const size = params.size ?? 4;
  const planned = await plannedCampaign(db, campaignSettings(), { workspaceId: params.workspaceId, size, prefix: params.prefix });
  const recipients = await db.select().from(campaignRecipients).where(eq(campaignRecipients.campaignId, planned.id)).orderBy(campaignRecipients.contactId);
  const messageIds: string[] = [];
  const sentAt = new Date("2026-09-01T10:00:00.123Z");
  for (const [index, recipient] of recipients.entries()) {
    const { row } = await insertMessage(db, {
      workspaceId: params.workspaceId,
      idempotencyKey: `${planned.id}:${recipient.contactId}`,
      kind: "campaign",
      campaignId: planned.id,
      channel: "email",
      recipient: `${params.prefix}-${index}@example.com`,
      contactId: recipient.contactId,
      templateId: planned.templateId,
      request: { subject: "Hi", data: { index, nested: { big: 12345678901234, list: [1, "two", null] } } },
      status: "sent",
      sentAt,
    });
    messageIds.push(row.id);
    await db
      .update(campaignRecipients)
      .set({ status: "sent", messageId: row.id, updatedAt: sentAt })
      .where(and(eq(campaignRecipients.campaignId, planned.id), eq(campaignRecipients.contactId, recipient.contactId)));
    await recordMessageAttempts(db, [{ workspaceId: params.workspaceId, messageId: row.id, provider: "outbox", outcome: "sent", attempt: 1, at: sentAt }]);
    await insertOutboxMessage(db, {
      workspaceId: params.workspaceId,
      idempotencyKey: row.idempotencyKey,
      messageId: row.id,
      campaignId: planned.id,
      channel: "email",
      from: "news@example.com",
      to: row.recipient,
      subject: "Hi",
      headers: { "X-Index": String(index) },
      html: `<p>Hello ${index} — ünïcödé ✓</p>`,
      text: `Hello ${index}`,
    });
    await recordEngagement(db, [
      { messageId: row.id, type: "sent", source: "send", occurredAt: sentAt, dedupeKey: randomUUID() },
      { messageId: row.id, type: "delivered", source: "resend", occurredAt: new Date("2026-09-01T10:00:05Z"), dedupeKey: randomUUID() },
      { messageId: row.id, type: "opened", source: "pixel", occurredAt: new Date("2026-09-01T11:00:00Z"), dedupeKey: randomUUID() },
      ...(index % 2 === 0 ? [{ messageId: row.id, type: "clicked" as const, source: "redirect" as const, url: "https://example.com/a", occurredAt: new Date("2026-09-01T11:01:00Z"), dedupeKey: randomUUID() }] : []),
    ]);
  }
  const [campaign] = await db
    .update(campaigns)
    .set({ status: "sent", finishedAt: params.endedAt ?? new Date("2026-09-01T12:00:00Z") })
    .where(eq(campaigns.id, planned.id))
    .returning();
  return { campaign: campaign!, messageIds, contactIds: recipients.map((recipient) => recipient.contactId) };
}

/** Every row of the campaign in every archived table, as PostgreSQL serialises it: what "identical" means. */
export async function campaignRows(db: Db, params: { workspaceId: string; campaignId: string }): Promise<Record<ArchivedTable, string[]>> {
  const rows = {} as Record<ArchivedTable, string[]>;
  for (const table of ARCHIVED_TABLES) rows[table] = await readAllArchivedRows(db, { ...params, table });
  return rows;
}

/** Rows across the archived tables. */
export const rowCount = (rows: Record<ArchivedTable, string[]>) => Object.values(rows).reduce((sum, lines) => sum + lines.length, 0);

/** The campaign's rollups, which stay in the database whatever the archive does. */
export async function campaignRollups(db: Db, campaignId: string): Promise<unknown[]> {
  const result = await db.execute(sql`select to_jsonb(s)::text as j from campaign_stats_hourly s where campaign_id = ${campaignId}::uuid order by hour`);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).map((row) => (row as { j: string }).j);
}
