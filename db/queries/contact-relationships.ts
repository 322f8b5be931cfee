import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { contactRelationships, contacts } from "@/db/schema";
import type { RecommendationSource } from "@/core/ai/recommendation-kinds";
import type { RelationshipPosition, RelationshipView } from "@/core/mailbox/relationship-views";
import { storableJson } from "@/core/text/storable-text";
import { rowsOf } from "./rows-of";

export type ContactRelationship = typeof contactRelationships.$inferSelect;

/** How far back "last 90 days" and "awaiting a reply" look. */
export const RECENT_DAYS = 90;
export const AWAITING_REPLY_DAYS = 30;

/** One batch contact's figures; a contact the mailbox never names has zero messages. */
export type RelationshipFigureRow = {
  contactId: string;
  sent: number;
  received: number;
  sentLast90Days: number;
  receivedLast90Days: number;
  firstInteractionAt: Date | null;
  lastInteractionAt: Date | null;
  interactionDays: number;
  ownerReplySeconds: number | null;
  contactReplySeconds: number | null;
  awaitingThreads: number;
  awaitingSubject: string | null;
  awaitingSince: Date | null;
};

const toDate = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(String(value)));
const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * relationship-figures: the next `limit` contacts of the workspace by id (keyset after `after`)
 * and, for each, what its non-automated, dated mail says, as of `now` — one statement for the
 * whole batch, never a query per contact.
 *
 * - `involved`: the batch's messages, found per contact through the GIN index on participants
 *   (a contact is matched by its lower-cased email; the mailbox owner's own addresses never
 *   count as a relationship). `sent` is the owner's mail, anything else naming them `received`.
 * - `replies`: for the owner's messages and the contact's own, the message just before it in
 *   the thread (the thread index): a `sent` after a `received` from the contact is the owner's
 *   reply, a `received` from the contact after a `sent` is theirs.
 * - `awaiting`: the contact's messages of the last 30 days with nothing after them in the thread
 *   but automated mail — the owner has not answered.
 *
 * Every batch contact comes back (zero figures when the mailbox does not name it), in id order,
 * so the caller knows where the batch ended.
 */
export async function readRelationshipFigures(db: Db, params: { workspaceId: string; after: string | null; limit: number; now: Date }): Promise<RelationshipFigureRow[]> {
  const w = sql`${params.workspaceId}::uuid`;
  const now = sql`${params.now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with batch as (
      select c.id, lower(c.email) as email
      from contacts c
      where c.workspace_id = ${w} and c.email is not null and c.erasure_requested_at is null and c.anonymised_at is null
        ${params.after ? sql`and c.id > ${params.after}::uuid` : sql``}
      order by c.id
      limit ${params.limit}
    ),
    owners as (
      select distinct lower(a) as address from mailbox_connections mc, unnest(mc.owner_addresses) as a where mc.workspace_id = ${w}
    ),
    involved as (
      select b.id as contact_id, b.email, m.id, m.thread_id, m.direction, m.sent_at, m.subject,
        coalesce(lower(m.from_address->>'address') = b.email, false) as from_contact
      from batch b
      join mailbox_messages m on m.workspace_id = ${w} and m.participants @> array[b.email]
      where not m.automated and m.sent_at is not null and m.sent_at <= ${now}
        and b.email not in (select address from owners)
    ),
    replies as (
      select i.contact_id,
        case when i.direction = 'sent' and p.direction = 'received' and p.from_contact then extract(epoch from i.sent_at - p.sent_at) end as owner_reply,
        case when i.direction = 'received' and i.from_contact and p.direction = 'sent' then extract(epoch from i.sent_at - p.sent_at) end as contact_reply
      from involved i
      cross join lateral (
        select p.direction, coalesce(lower(p.from_address->>'address') = i.email, false) as from_contact, p.sent_at
        from mailbox_messages p
        where p.workspace_id = ${w} and p.thread_id = i.thread_id and not p.automated and p.sent_at is not null
          and (p.sent_at, p.id) < (i.sent_at, i.id)
        order by p.sent_at desc, p.id desc
        limit 1
      ) p
      where i.direction = 'sent' or i.from_contact
    ),
    awaiting as (
      select i.contact_id, i.subject, i.sent_at
      from involved i
      where i.direction = 'received' and i.from_contact and i.sent_at > ${now} - make_interval(days => ${AWAITING_REPLY_DAYS})
        and not exists (
          select 1 from mailbox_messages l
          where l.workspace_id = ${w} and l.thread_id = i.thread_id and not l.automated and l.sent_at is not null
            and (l.sent_at, l.id) > (i.sent_at, i.id))
    ),
    counts as (
      select contact_id,
        count(*) filter (where direction = 'sent')::int as sent,
        count(*) filter (where direction = 'received')::int as received,
        count(*) filter (where direction = 'sent' and sent_at > ${now} - make_interval(days => ${RECENT_DAYS}))::int as sent_recent,
        count(*) filter (where direction = 'received' and sent_at > ${now} - make_interval(days => ${RECENT_DAYS}))::int as received_recent,
        min(sent_at) as first_at, max(sent_at) as last_at,
        count(distinct (sent_at at time zone 'UTC')::date)::int as days
      from involved group by contact_id
    ),
    medians as (
      select contact_id,
        percentile_cont(0.5) within group (order by owner_reply) as owner_reply,
        percentile_cont(0.5) within group (order by contact_reply) as contact_reply
      from replies group by contact_id
    ),
    open_threads as (
      select contact_id, count(*)::int as threads,
        (array_agg(subject order by sent_at desc))[1] as subject, max(sent_at) as since
      from awaiting group by contact_id
    )
    select b.id as "contactId",
      coalesce(c.sent, 0) as sent, coalesce(c.received, 0) as received,
      coalesce(c.sent_recent, 0) as "sentLast90Days", coalesce(c.received_recent, 0) as "receivedLast90Days",
      c.first_at as "firstInteractionAt", c.last_at as "lastInteractionAt", coalesce(c.days, 0) as "interactionDays",
      round(md.owner_reply)::int as "ownerReplySeconds", round(md.contact_reply)::int as "contactReplySeconds",
      coalesce(o.threads, 0) as "awaitingThreads", o.subject as "awaitingSubject", o.since as "awaitingSince"
    from batch b
    left join counts c on c.contact_id = b.id
    left join medians md on md.contact_id = b.id
    left join open_threads o on o.contact_id = b.id
    order by b.id`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    contactId: String(row.contactId),
    sent: Number(row.sent),
    received: Number(row.received),
    sentLast90Days: Number(row.sentLast90Days),
    receivedLast90Days: Number(row.receivedLast90Days),
    firstInteractionAt: toDate(row.firstInteractionAt),
    lastInteractionAt: toDate(row.lastInteractionAt),
    interactionDays: Number(row.interactionDays),
    ownerReplySeconds: toNumber(row.ownerReplySeconds),
    contactReplySeconds: toNumber(row.contactReplySeconds),
    awaitingThreads: Number(row.awaitingThreads),
    awaitingSubject: (row.awaitingSubject as string | null) ?? null,
    awaitingSince: toDate(row.awaitingSince),
  }));
}

/** A scored relationship, as analyse-relationships writes it. */
export type RelationshipValues = Pick<
  ContactRelationship,
  | "contactId"
  | "messagesSent"
  | "messagesReceived"
  | "sentLast90Days"
  | "receivedLast90Days"
  | "firstInteractionAt"
  | "lastInteractionAt"
  | "interactionDays"
  | "usualGapDays"
  | "reciprocity"
  | "ownerReplySeconds"
  | "contactReplySeconds"
  | "strength"
  | "peakStrength"
  | "goingCold"
  | "awaitingThreads"
  | "awaitingSubject"
  | "awaitingSince"
>;

/**
 * save-relationships: one batch's scores in one statement (the summary fields of an existing row
 * are left as they are), and, in the same transaction, the rows of contacts in the batch's id
 * range that the mailbox no longer names (their mail was erased, or the contact hidden) deleted.
 * `to` null means the range runs to the end of the id space: the last batch.
 */
export async function saveRelationships(
  db: Db,
  params: { workspaceId: string; rows: readonly RelationshipValues[]; computedAt: Date; from: string | null; to: string | null },
): Promise<{ saved: number; removed: number }> {
  return db.transaction(async (tx) => {
    if (params.rows.length > 0) {
      const input = storableJson(
        params.rows.map((row) => ({
          contact_id: row.contactId,
          messages_sent: row.messagesSent,
          messages_received: row.messagesReceived,
          sent_last_90_days: row.sentLast90Days,
          received_last_90_days: row.receivedLast90Days,
          first_interaction_at: row.firstInteractionAt.toISOString(),
          last_interaction_at: row.lastInteractionAt.toISOString(),
          interaction_days: row.interactionDays,
          usual_gap_days: row.usualGapDays,
          reciprocity: row.reciprocity,
          owner_reply_median_seconds: row.ownerReplySeconds,
          contact_reply_median_seconds: row.contactReplySeconds,
          strength: row.strength,
          peak_strength: row.peakStrength,
          going_cold: row.goingCold,
          awaiting_threads: row.awaitingThreads,
          awaiting_subject: row.awaitingSubject,
          awaiting_since: row.awaitingSince?.toISOString() ?? null,
        })),
      );
      await tx.execute(sql`
        insert into contact_relationships as r (contact_id, workspace_id, messages_sent, messages_received, sent_last_90_days, received_last_90_days,
          first_interaction_at, last_interaction_at, interaction_days, usual_gap_days, reciprocity, owner_reply_median_seconds,
          contact_reply_median_seconds, strength, peak_strength, going_cold, awaiting_threads, awaiting_subject, awaiting_since, computed_at)
        select i.contact_id, ${params.workspaceId}::uuid, i.messages_sent, i.messages_received, i.sent_last_90_days, i.received_last_90_days,
          i.first_interaction_at, i.last_interaction_at, i.interaction_days, i.usual_gap_days, i.reciprocity, i.owner_reply_median_seconds,
          i.contact_reply_median_seconds, i.strength, i.peak_strength, i.going_cold, i.awaiting_threads, i.awaiting_subject, i.awaiting_since,
          ${params.computedAt.toISOString()}::timestamptz
        from jsonb_to_recordset(${input}::jsonb) as i(contact_id uuid, messages_sent int, messages_received int, sent_last_90_days int,
          received_last_90_days int, first_interaction_at timestamptz, last_interaction_at timestamptz, interaction_days int, usual_gap_days float8,
          reciprocity float8, owner_reply_median_seconds int, contact_reply_median_seconds int, strength float8, peak_strength float8,
          going_cold boolean, awaiting_threads int, awaiting_subject text, awaiting_since timestamptz)
        on conflict (contact_id) do update set
          messages_sent = excluded.messages_sent, messages_received = excluded.messages_received,
          sent_last_90_days = excluded.sent_last_90_days, received_last_90_days = excluded.received_last_90_days,
          first_interaction_at = excluded.first_interaction_at, last_interaction_at = excluded.last_interaction_at,
          interaction_days = excluded.interaction_days, usual_gap_days = excluded.usual_gap_days, reciprocity = excluded.reciprocity,
          owner_reply_median_seconds = excluded.owner_reply_median_seconds, contact_reply_median_seconds = excluded.contact_reply_median_seconds,
          strength = excluded.strength, peak_strength = excluded.peak_strength, going_cold = excluded.going_cold,
          awaiting_threads = excluded.awaiting_threads, awaiting_subject = excluded.awaiting_subject, awaiting_since = excluded.awaiting_since,
          computed_at = excluded.computed_at`);
    }
    const kept = `{${params.rows.map((row) => row.contactId).join(",")}}`;
    const removed = await tx.execute(sql`
      with gone as (
        delete from contact_relationships r
        where r.workspace_id = ${params.workspaceId}::uuid
          ${params.from ? sql`and r.contact_id > ${params.from}::uuid` : sql``}
          ${params.to ? sql`and r.contact_id <= ${params.to}::uuid` : sql``}
          and r.contact_id <> all(${kept}::uuid[])
        returning 1)
      select count(*)::int as n from gone`);
    return { saved: params.rows.length, removed: Number(rowsOf<{ n: number }>(removed)[0]?.n ?? 0) };
  });
}

export type RelationshipListRow = ContactRelationship & { email: string | null; firstName: string | null; lastName: string | null };

const RANK_OF: Record<RelationshipView, PgColumn> = {
  top: contactRelationships.strength,
  cold: contactRelationships.peakStrength,
  awaiting: contactRelationships.strength,
};

const VIEW_FILTER: Record<RelationshipView, SQL | undefined> = {
  top: undefined,
  cold: sql`${contactRelationships.goingCold}`,
  awaiting: sql`${contactRelationships.awaitingThreads} > 0`,
};

/** The value a view is ranked by, for its cursor. */
export const relationshipRank = (view: RelationshipView, row: ContactRelationship): number => (view === "cold" ? row.peakStrength : row.strength);

/** One view's page, strongest first (keyset on the view's ranking and the contact id), visible contacts only. */
export async function listRelationships(
  db: Db,
  params: { workspaceId: string; view: RelationshipView; limit: number; after?: RelationshipPosition },
): Promise<RelationshipListRow[]> {
  const rank = RANK_OF[params.view];
  const rows = await db
    .select({ relationship: contactRelationships, email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName })
    .from(contactRelationships)
    .innerJoin(contacts, eq(contacts.id, contactRelationships.contactId))
    .where(
      and(
        eq(contactRelationships.workspaceId, params.workspaceId),
        sql`${contacts.erasureRequestedAt} is null`,
        VIEW_FILTER[params.view],
        params.after ? sql`(${rank}, ${contactRelationships.contactId}) < (${params.after.rank}::float8, ${params.after.contactId}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(rank), desc(contactRelationships.contactId))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.relationship, email: row.email, firstName: row.firstName, lastName: row.lastName }));
}

export async function getContactRelationship(db: Db, params: { workspaceId: string; contactId: string }): Promise<ContactRelationship | undefined> {
  const [row] = await db
    .select()
    .from(contactRelationships)
    .where(and(eq(contactRelationships.workspaceId, params.workspaceId), eq(contactRelationships.contactId, params.contactId)));
  return row;
}

/** The newest non-automated messages naming the address, up to `until`: what a relationship summary quotes. */
export async function recentRelationshipMessages(
  db: Db,
  params: { workspaceId: string; email: string; until: Date; limit: number },
): Promise<{ direction: "sent" | "received"; sentAt: Date; subject: string | null; snippet: string | null }[]> {
  const result = await db.execute(sql`
    select m.direction, m.sent_at as "sentAt", m.subject, m.snippet
    from mailbox_messages m
    where m.workspace_id = ${params.workspaceId}::uuid and m.participants @> array[${params.email.toLowerCase()}]::text[]
      and not m.automated and m.sent_at is not null and m.sent_at <= ${params.until.toISOString()}::timestamptz
    order by m.sent_at desc, m.id desc
    limit ${params.limit}`);
  return rowsOf<{ direction: "sent" | "received"; sentAt: unknown; subject: string | null; snippet: string | null }>(result).map((row) => ({ ...row, sentAt: toDate(row.sentAt)! }));
}

/** Records a summary on the relationship (the figures stay as the last recompute left them). */
export async function saveRelationshipSummary(
  db: Db,
  params: {
    workspaceId: string;
    contactId: string;
    summary: string;
    nextAction: string;
    source: RecommendationSource;
    note: string | null;
    inputHash: string | null;
    recommendationId: string | null;
    at: Date;
  },
): Promise<ContactRelationship | undefined> {
  const [row] = await db
    .update(contactRelationships)
    .set({
      summary: params.summary,
      nextAction: params.nextAction,
      summarySource: params.source,
      summaryNote: params.note,
      inputHash: params.inputHash,
      recommendationId: params.recommendationId,
      summarisedAt: params.at,
    })
    .where(and(eq(contactRelationships.workspaceId, params.workspaceId), eq(contactRelationships.contactId, params.contactId)))
    .returning();
  return row;
}

/** Workspaces that have mailbox messages, by id after `after`: what the daily recompute visits. */
export async function listWorkspacesWithMailboxMessages(db: Db, params: { after?: string; limit: number }): Promise<string[]> {
  const result = await db.execute(sql`
    select w.id from workspaces w
    where ${params.after ? sql`w.id > ${params.after}::uuid and` : sql``}
      exists (select 1 from mailbox_messages m where m.workspace_id = w.id)
    order by w.id
    limit ${params.limit}`);
  return rowsOf<{ id: string }>(result).map((row) => row.id);
}
