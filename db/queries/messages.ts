import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { type MessageStatus, predecessorsOf } from "@/core/messages/status";
import { before } from "./keyset";
import { rowsOf } from "./rows-of";

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Inserts once per (workspace, idempotency key); a repeat returns the first row untouched. */
export async function insertMessage(db: Db, message: NewMessage): Promise<{ row: Message; created: boolean }> {
  const [created] = await db.insert(messages).values(message).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, message.workspaceId), eq(messages.idempotencyKey, message.idempotencyKey)));
  return { row: existing!, created: false };
}

export async function getMessage(db: Db, params: { workspaceId: string; messageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, params.workspaceId), eq(messages.id, params.messageId)));
  return row;
}

/** Newest first, keyset-paginated on (queued_at, id); every filter optional. `recipient` is matched exactly (emails are stored lower-cased). */
export async function listMessages(
  db: Db,
  params: {
    workspaceId: string;
    kind?: Message["kind"];
    status?: MessageStatus;
    campaignId?: string;
    recipient?: string;
    limit: number;
    after?: Position;
  },
): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        params.kind ? eq(messages.kind, params.kind) : undefined,
        params.status ? eq(messages.status, params.status) : undefined,
        params.campaignId ? eq(messages.campaignId, params.campaignId) : undefined,
        params.recipient ? eq(messages.recipient, params.recipient) : undefined,
        before(messages.queuedAt, messages.id, params.after),
      ),
    )
    .orderBy(desc(messages.queuedAt), desc(messages.id))
    .limit(params.limit);
}

const TIMESTAMP_OF: Partial<Record<MessageStatus, keyof NewMessage>> = {
  sent: "sentAt",
  delivered: "deliveredAt",
  opened: "openedAt",
  clicked: "clickedAt",
  bounced: "bouncedAt",
  complained: "complainedAt",
  failed: "failedAt",
  suppressed: "suppressedAt",
};

/**
 * Moves a message forward, never back (invariant 4): the WHERE clause only matches rows whose
 * current status precedes `to`, so a late or duplicate update is a no-op. Returns the updated
 * row, or undefined when the move was not forward.
 */
export async function advanceMessageStatus(
  db: Db,
  params: {
    workspaceId: string;
    messageId: string;
    to: MessageStatus;
    at?: Date;
    set?: Partial<Pick<NewMessage, "provider" | "providerMessageId" | "error" | "subject">>;
  },
): Promise<Message | undefined> {
  const at = params.at ?? new Date();
  const stamp = TIMESTAMP_OF[params.to];
  const [row] = await db
    .update(messages)
    .set({ ...params.set, status: params.to, updatedAt: at, ...(stamp ? { [stamp]: at } : {}) })
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        eq(messages.id, params.messageId),
        inArray(messages.status, predecessorsOf(params.to)),
      ),
    )
    .returning();
  return row;
}

/**
 * Claims a message for sending. "sending" is claimable again on purpose: a crash between the
 * provider call and recording its result leaves the row there, and the retry re-sends with
 * the same provider idempotency key, which the provider (or the outbox) de-duplicates.
 */
export async function claimMessageForSend(db: Db, params: { workspaceId: string; messageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .update(messages)
    .set({ status: "sending", updatedAt: sql`now()` })
    .where(
      and(
        eq(messages.workspaceId, params.workspaceId),
        eq(messages.id, params.messageId),
        inArray(messages.status, ["queued", "sending"]),
      ),
    )
    .returning();
  return row;
}

/**
 * Claims a batch's messages for sending in one statement, with the same rule as
 * claimMessageForSend, and records the key of the provider call they go out in; returns the ids
 * it claimed (a message already past "sending" is not).
 */
export async function claimMessagesForSend(
  db: Db,
  params: { messages: { workspaceId: string; messageId: string }[]; sendKey: string },
): Promise<Set<string>> {
  if (params.messages.length === 0) return new Set();
  const rows = await db
    .update(messages)
    // A message that already has a key keeps it: its earlier call may have reached the provider.
    .set({ status: "sending", sendKey: sql`coalesce(${messages.sendKey}, ${params.sendKey})`, updatedAt: sql`now()` })
    .where(
      and(
        inArray(messages.id, params.messages.map((m) => m.messageId)),
        inArray(messages.workspaceId, [...new Set(params.messages.map((m) => m.workspaceId))]),
        inArray(messages.status, ["queued", "sending"]),
      ),
    )
    .returning({ id: messages.id, workspaceId: messages.workspaceId, sendKey: messages.sendKey });
  const wanted = new Set(params.messages.map((m) => `${m.workspaceId}:${m.messageId}`));
  // A message another run claimed for its own call (it kept that key) goes out with that call only.
  return new Set(rows.filter((row) => row.sendKey === params.sendKey && wanted.has(`${row.workspaceId}:${row.id}`)).map((row) => row.id));
}

/**
 * The messages claimed for one provider call whose fate is still open: a call made again under
 * that key must carry all of them, whichever batch brought one of them back (see
 * lib/notifications/deliver-notification-batch.ts).
 */
export async function findUnsentMessagesBySendKey(db: Db, params: { sendKey: string }): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.sendKey, params.sendKey), inArray(messages.status, ["queued", "sending"])));
}

/** By ids alone, for a batch run: like findMessageById, the caller compares each row's workspace with its event's. */
export async function findMessagesByIds(db: Db, params: { messageIds: string[] }): Promise<Message[]> {
  if (params.messageIds.length === 0) return [];
  return db.select().from(messages).where(inArray(messages.id, params.messageIds));
}

/**
 * By id alone, for functions: they re-derive the workspace from the row (invariant 5) and
 * compare it with what the event claimed.
 */
export async function findMessageById(db: Db, params: { messageId: string }): Promise<Message | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, params.messageId));
  return row;
}

/** A provider's own id for a message (Resend email id, Twilio MessageSid); unique per provider. */
export async function findMessageByProviderId(db: Db, params: { provider: string; providerMessageId: string }): Promise<Message | undefined> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.provider, params.provider), eq(messages.providerMessageId, params.providerMessageId)))
    .limit(1);
  return row;
}

/** A batch of webhooks' messages by the provider's ids, in one query (the same index as above). */
export async function findMessagesByProviderIds(db: Db, params: { provider: string; providerMessageIds: string[] }): Promise<Message[]> {
  if (params.providerMessageIds.length === 0) return [];
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.provider, params.provider), inArray(messages.providerMessageId, params.providerMessageIds)));
}

/**
 * Counts an open or click a provider reported (transactional mail; see below for campaigns): the first-time stamp
 * is kept, and the status moves to opened/clicked only when that is forward (an open after a
 * complaint is counted but leaves the status alone). One statement, so concurrent webhooks
 * for the same message never lose an increment.
 */
export async function recordMessageEngagement(
  db: Db,
  params: { workspaceId: string; messageId: string; kind: "open" | "click"; at: Date },
): Promise<Message | undefined> {
  const to: MessageStatus = params.kind === "open" ? "opened" : "clicked";
  const forward = predecessorsOf(to);
  const [count, stamp] = params.kind === "open" ? [messages.openCount, messages.openedAt] : [messages.clickCount, messages.clickedAt];
  const at = params.at.toISOString();
  const [row] = await db
    .update(messages)
    .set({
      // Campaign emails carry Sendline's own pixel and click links (/t/o, /t/c), which count them;
      // a provider's tracking of the same email would count each open twice, so for those the
      // webhook only moves the status and the first-seen time.
      [params.kind === "open" ? "openCount" : "clickCount"]: sql`${count} + case when ${messages.campaignId} is null then 1 else 0 end`,
      [params.kind === "open" ? "openedAt" : "clickedAt"]: sql`coalesce(${stamp}, ${at}::timestamptz)`,
      status: sql`case when ${messages.status} in (${sql.join(
        forward.map((status) => sql`${status}`),
        sql`, `,
      )}) then ${to}::message_status else ${messages.status} end`,
      updatedAt: params.at,
    })
    .where(and(eq(messages.workspaceId, params.workspaceId), eq(messages.id, params.messageId)))
    .returning();
  return row;
}

/**
 * Messages the provider accepted but never reported on: status still "sent", sent within
 * (sentAfter, sentBefore]. Oldest first, keyset-paged on (sent_at, id) across workspaces,
 * for the refresh cron.
 */
export async function listMessagesAwaitingDelivery(
  db: Db,
  params: { sentAfter: Date; sentBefore: Date; after?: Position; limit: number },
): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.status, "sent"),
        sql`${messages.providerMessageId} is not null`,
        sql`${messages.sentAt} > ${params.sentAfter.toISOString()}::timestamptz`,
        sql`${messages.sentAt} <= ${params.sentBefore.toISOString()}::timestamptz`,
        params.after ? sql`(${messages.sentAt}, ${messages.id}) > (${params.after.at.toISOString()}::timestamptz, ${params.after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(messages.sentAt), asc(messages.id))
    .limit(params.limit);
}

/** Workspaces that ever sent an SMS to this number: the ones an inbound STOP/START from it concerns. */
export async function listSmsSenderWorkspaces(db: Db, params: { phone: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ workspaceId: messages.workspaceId })
    .from(messages)
    .where(and(eq(messages.channel, "sms"), eq(messages.recipient, params.phone)));
  return rows.map((row) => row.workspaceId);
}

/** The newest messages to one contact; served by messages_workspace_contact_idx. */
export async function listContactMessages(db: Db, params: { workspaceId: string; contactId: string; limit: number }): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, params.workspaceId), eq(messages.contactId, params.contactId)))
    .orderBy(desc(messages.queuedAt), desc(messages.id))
    .limit(params.limit);
}

const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;

/**
 * The provider a message not yet recorded as sent is pinned to: set before each provider call
 * (pinMessagesToProvider) and cleared only when that provider certainly did not take it, so a
 * message whose call timed out, or whose process died mid-call, is retried with that provider
 * alone and never reaches a second one. Null when none of `messageIds` is pinned.
 */
export async function findPinnedProvider(db: Db, params: { workspaceIds: string[]; messageIds: string[] }): Promise<string | null> {
  if (params.messageIds.length === 0) return null;
  const result = await db.execute<{ provider: string }>(sql`
    select provider from ${messages}
     where workspace_id = any(${uuidArray(params.workspaceIds)}::uuid[]) and id = any(${uuidArray(params.messageIds)}::uuid[])
       and status in ('queued', 'sending') and provider is not null
     limit 1`);
  return rowsOf<{ provider: string }>(result)[0]?.provider ?? null;
}

/** Pins unsent messages to `provider` before its call; a message pinned elsewhere keeps its pin. */
export async function pinMessagesToProvider(db: Db, params: { workspaceIds: string[]; messageIds: string[]; provider: string }): Promise<void> {
  if (params.messageIds.length === 0) return;
  await db.execute(sql`
    update ${messages} set provider = ${params.provider}
     where workspace_id = any(${uuidArray(params.workspaceIds)}::uuid[]) and id = any(${uuidArray(params.messageIds)}::uuid[])
       and status in ('queued', 'sending') and (provider is null or provider = ${params.provider})`);
}

/** Releases the pin after `provider` certainly refused the messages, so the next provider may send them. */
export async function unpinMessages(db: Db, params: { workspaceIds: string[]; messageIds: string[]; provider: string }): Promise<void> {
  if (params.messageIds.length === 0) return;
  await db.execute(sql`
    update ${messages} set provider = null
     where workspace_id = any(${uuidArray(params.workspaceIds)}::uuid[]) and id = any(${uuidArray(params.messageIds)}::uuid[])
       and status in ('queued', 'sending') and provider = ${params.provider}`);
}
