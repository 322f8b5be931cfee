import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import type { RetentionTarget } from "@/core/lifecycle/retention-rules";
import { deleteContactRowsOf, deleteOutboxCopiesOfContacts, deleteRelationshipSummariesOfContacts, scrubMessagesOfContacts } from "./personal-data";
import { rowsOf } from "./rows-of";

/**
 * The SQL of retention's rules (core/lifecycle/retention-rules.ts names them). Each target has one
 * candidate query (what it would touch before `cutoff`), used three ways: counted and sampled by
 * the dry run, and walked in keyset batches by the policy's application, one bounded statement
 * per batch. Cutoffs come from the app's clock as parameters, never SQL `now()`.
 *
 * Every candidate query returns `id` (text: what the dry run samples) and `k1`, `k2`, `k3`: the
 * keyset position (k2/k3 may be null where one column is enough).
 */

export type RetentionCursor = { k1: string; k2: string | null; k3: string | null };
export type RetentionBatch = { touched: number; cursor: RetentionCursor | null; done: boolean };

type TargetParams = { workspaceId: string; cutoff: Date };

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;
const EMPTY_REQUEST = sql`'{"data":{}}'::jsonb`;

/**
 * A contact is inactive since `cutoff` when nothing happened to or with it from then on: no
 * message queued or sent to it, no engagement event (open, click, bounce, complaint,
 * unsubscribe…) of its, and no change to the contact row itself (an API or dashboard edit, an
 * import, an enrichment all move `updated_at`). Contacts already anonymised, or whose erasure was
 * requested (the erasure owns them), are not candidates. Defined here once; docs/DESIGN.md
 * ("Retention") says the same in words.
 */
export function inactiveContacts(params: TargetParams): SQL {
  const cutoff = ts(params.cutoff);
  return sql`
    select c.id::text as id, c.id::text as k1, null::text as k2, null::text as k3
    from contacts c
    where c.workspace_id = ${params.workspaceId} and c.anonymised_at is null and c.erasure_requested_at is null
      and c.updated_at < ${cutoff}
      and not exists (
        select 1 from messages m
        where m.workspace_id = ${params.workspaceId} and m.contact_id = c.id and (m.queued_at >= ${cutoff} or m.sent_at >= ${cutoff}))
      and not exists (
        select 1 from engagement_events e
        where e.contact_id = c.id and e.workspace_id = ${params.workspaceId} and e.occurred_at >= ${cutoff})`;
}

/** A provider webhook's message id, read from its stored payload the way each processor reads it. */
const webhookMessageRef = sql`case w.provider
  when 'resend' then w.payload #>> '{data,email_id}'
  when 'twilio' then w.payload ->> 'MessageSid'
  else w.payload #>> '{status,id}' end`;
const webhookMessageProvider = sql`case w.provider when 'whatsapp' then 'meta' else w.provider end`;
const isoText = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Per target: the candidates (a select whose where clause `after` may extend), the keyset
 * predicate past a cursor and the order, both on the columns' own types so each batch walks an
 * index rather than sorting every candidate.
 */
type TargetSql = { select: (params: TargetParams) => SQL; after: (cursor: RetentionCursor) => SQL; order: SQL };

const TARGETS: Record<RetentionTarget, TargetSql> = {
  anonymisedContacts: { select: inactiveContacts, after: (c) => sql`c.id > ${c.k1}::uuid`, order: sql`c.id` },
  // Messages still to be sent, and dead letters (a retry needs the request), keep their bodies.
  messageBodies: {
    select: ({ workspaceId, cutoff }) => sql`
      select m.id::text as id, ${isoText(sql`m.queued_at`)} as k1, m.id::text as k2, null::text as k3
      from messages m
      where m.workspace_id = ${workspaceId} and m.queued_at < ${ts(cutoff)} and m.status <> 'queued' and m.dead_lettered_at is null
        and m.request <> ${EMPTY_REQUEST}`,
    after: (c) => sql`(m.queued_at, m.id) > (${c.k1}::timestamptz, ${c.k2}::uuid)`,
    order: sql`m.queued_at, m.id`,
  },
  outboxBodies: {
    select: ({ workspaceId, cutoff }) => sql`
      select o.id::text as id, ${isoText(sql`o.created_at`)} as k1, o.id::text as k2, null::text as k3
      from outbox_messages o
      where o.workspace_id = ${workspaceId} and o.created_at < ${ts(cutoff)} and (o.html is not null or o.text is not null)`,
    after: (c) => sql`(o.created_at, o.id) > (${c.k1}::timestamptz, ${c.k2}::uuid)`,
    order: sql`o.created_at, o.id`,
  },
  // webhook_events carry no workspace: a payload is the workspace's when it reports on one of its messages.
  webhookPayloads: {
    select: ({ workspaceId, cutoff }) => sql`
      select w.provider || ':' || w.delivery_id as id, ${isoText(sql`w.received_at`)} as k1, w.provider as k2, w.delivery_id as k3
      from webhook_events w
      where w.received_at < ${ts(cutoff)} and w.payload <> '{}'::jsonb
        and exists (
          select 1 from messages m
          where m.provider = ${webhookMessageProvider} and m.provider_message_id = ${webhookMessageRef} and m.workspace_id = ${workspaceId})`,
    after: (c) => sql`(w.received_at, w.provider, w.delivery_id) > (${c.k1}::timestamptz, ${c.k2}::text, ${c.k3}::text)`,
    order: sql`w.received_at, w.provider, w.delivery_id`,
  },
  importErrors: {
    select: ({ workspaceId, cutoff }) => sql`
      select e.id::text as id, e.id::text as k1, null::text as k2, null::text as k3
      from import_errors e join imports i on i.id = e.import_id
      where e.workspace_id = ${workspaceId} and i.workspace_id = ${workspaceId}
        and i.status in ('completed', 'failed', 'cancelled') and coalesce(i.finished_at, i.updated_at) < ${ts(cutoff)}`,
    after: (c) => sql`e.id > ${c.k1}::bigint`,
    order: sql`e.id`,
  },
  importStaging: {
    select: ({ workspaceId, cutoff }) => sql`
      select ic.import_id::text || ':' || ic.contact_id::text as id, ic.import_id::text as k1, ic.contact_id::text as k2, null::text as k3
      from import_contacts ic join imports i on i.id = ic.import_id
      where i.workspace_id = ${workspaceId}
        and i.status in ('completed', 'failed', 'cancelled') and coalesce(i.finished_at, i.updated_at) < ${ts(cutoff)}`,
    after: (c) => sql`(ic.import_id, ic.contact_id) > (${c.k1}::uuid, ${c.k2}::uuid)`,
    order: sql`ic.import_id, ic.contact_id`,
  },
  campaignChunks: {
    select: ({ workspaceId, cutoff }) => sql`
      select ch.campaign_id::text || ':' || ch.chunk::text as id, ch.campaign_id::text as k1, ch.chunk::text as k2, null::text as k3
      from campaign_chunks ch join campaigns c on c.id = ch.campaign_id
      where c.workspace_id = ${workspaceId} and c.status in ('sent', 'cancelled', 'failed') and coalesce(c.finished_at, c.updated_at) < ${ts(cutoff)}`,
    after: (c) => sql`(ch.campaign_id, ch.chunk) > (${c.k1}::uuid, ${c.k2}::int)`,
    order: sql`ch.campaign_id, ch.chunk`,
  },
  digestItems: {
    select: ({ workspaceId, cutoff }) => sql`
      select di.id::text as id, di.id::text as k1, null::text as k2, null::text as k3
      from digest_items di join digests d on d.id = di.digest_id
      where di.workspace_id = ${workspaceId} and d.workspace_id = ${workspaceId}
        and d.status in ('sent', 'cancelled') and d.updated_at < ${ts(cutoff)}`,
    after: (c) => sql`di.id > ${c.k1}::uuid`,
    order: sql`di.id`,
  },
};

/** How many rows a target would touch now, and a few of their ids (the dry run's report). */
export async function countRetentionCandidates(db: Db, params: TargetParams & { target: RetentionTarget; sampleSize: number }): Promise<{ count: number; sample: string[] }> {
  const target = TARGETS[params.target];
  const [counted] = rowsOf<{ count: number }>(await db.execute(sql`select count(*)::int as count from (${target.select(params)}) x`));
  const sample = rowsOf<{ id: string }>(await db.execute(sql`${target.select(params)} order by ${target.order} limit ${params.sampleSize}`));
  return { count: Number(counted?.count ?? 0), sample: sample.map((row) => row.id) };
}

/** The workspace's contacts a policy's share is measured against: those not anonymised or being erased. */
export async function countLiveContacts(db: Db, params: { workspaceId: string }): Promise<number> {
  const [row] = rowsOf<{ count: number }>(
    await db.execute(sql`select count(*)::int as count from contacts where workspace_id = ${params.workspaceId} and anonymised_at is null and erasure_requested_at is null`),
  );
  return Number(row?.count ?? 0);
}

/** The next batch of candidates after `cursor`, in keyset order. */
function nextBatch(params: TargetParams & { target: RetentionTarget; cursor: RetentionCursor | null; limit: number }): SQL {
  const target = TARGETS[params.target];
  const after = params.cursor ? sql` and ${target.after(params.cursor)}` : sql``;
  return sql`${target.select(params)}${after} order by ${target.order} limit ${params.limit}`;
}

/** What one batch does to the rows it picked; answers how many it touched. */
const APPLY: Record<RetentionTarget, (db: Db, params: { workspaceId: string; at: Date; ids: string[]; keys: RetentionCursor[] }) => Promise<number>> = {
  anonymisedContacts: async (db, { workspaceId, at, ids }) => anonymiseContacts(db, { workspaceId, contactIds: ids, at }),
  messageBodies: async (db, { workspaceId, ids }) =>
    count(await db.execute(sql`update messages set request = ${EMPTY_REQUEST} where workspace_id = ${workspaceId} and id in ${uuidList(ids)} and request <> ${EMPTY_REQUEST} returning id`)),
  outboxBodies: async (db, { workspaceId, ids }) =>
    count(await db.execute(sql`update outbox_messages set html = null, text = null where workspace_id = ${workspaceId} and id in ${uuidList(ids)} returning id`)),
  webhookPayloads: async (db, { keys }) =>
    count(
      await db.execute(sql`
        update webhook_events w set payload = '{}'::jsonb
        from jsonb_to_recordset(${JSON.stringify(keys.map((key) => ({ provider: key.k2, delivery_id: key.k3 })))}::jsonb) as k(provider text, delivery_id text)
        where w.provider = k.provider and w.delivery_id = k.delivery_id
        returning w.delivery_id`),
    ),
  importErrors: async (db, { workspaceId, ids }) =>
    count(await db.execute(sql`delete from import_errors where workspace_id = ${workspaceId} and id in (select unnest(${`{${ids.join(",")}}`}::bigint[])) returning id`)),
  importStaging: async (db, { keys }) =>
    count(
      await db.execute(sql`
        delete from import_contacts ic
        using jsonb_to_recordset(${JSON.stringify(keys.map((key) => ({ import_id: key.k1, contact_id: key.k2 })))}::jsonb) as k(import_id uuid, contact_id uuid)
        where ic.import_id = k.import_id and ic.contact_id = k.contact_id
        returning ic.contact_id`),
    ),
  campaignChunks: async (db, { keys }) =>
    count(
      await db.execute(sql`
        delete from campaign_chunks ch
        using jsonb_to_recordset(${JSON.stringify(keys.map((key) => ({ campaign_id: key.k1, chunk: Number(key.k2) })))}::jsonb) as k(campaign_id uuid, chunk int)
        where ch.campaign_id = k.campaign_id and ch.chunk = k.chunk
        returning ch.chunk`),
    ),
  digestItems: async (db, { workspaceId, ids }) =>
    count(await db.execute(sql`delete from digest_items where workspace_id = ${workspaceId} and id in ${uuidList(ids)} returning id`)),
};

const uuidList = (ids: readonly string[]) => sql`(select unnest(${`{${ids.join(",")}}`}::uuid[]))`;
const count = (result: unknown) => rowsOf(result).length;

/**
 * One keyset batch of a target: picks up to `limit` candidates after `cursor` and applies the
 * rule to them in one transaction (the pick and the change agree). `done` once a batch comes back
 * short; the cursor is the last row picked, so a retried step redoes the same batch harmlessly.
 */
export async function applyRetentionBatch(
  db: Db,
  params: TargetParams & { target: RetentionTarget; at: Date; cursor: RetentionCursor | null; limit: number },
): Promise<RetentionBatch> {
  return db.transaction(async (tx) => {
    const picked = rowsOf<{ id: string } & RetentionCursor>(await tx.execute(nextBatch(params)));
    if (picked.length === 0) return { touched: 0, cursor: params.cursor, done: true };
    const touched = await APPLY[params.target](tx as unknown as Db, {
      workspaceId: params.workspaceId,
      at: params.at,
      ids: picked.map((row) => row.id),
      keys: picked.map(({ k1, k2, k3 }) => ({ k1, k2, k3 })),
    });
    const last = picked.at(-1)!;
    return { touched, cursor: { k1: last.k1, k2: last.k2, k3: last.k3 }, done: picked.length < params.limit };
  });
}

/**
 * Anonymises contacts: the row stays (its id, status, timestamps, and so every aggregate and
 * campaign recipient that points at it) but every personal field is emptied and
 * `anonymised_at` set. First, while their addresses are still on the rows, what else holds
 * them goes the way an erasure takes it (personal-data.ts): their messages are scrubbed, the
 * outbox copies and in-app messages deleted, enrichment data, push devices, the relationship
 * from the mailbox and its summaries too. Answers how many contacts it anonymised.
 */
export async function anonymiseContacts(db: Db, params: { workspaceId: string; contactIds: readonly string[]; at: Date }): Promise<number> {
  if (params.contactIds.length === 0) return 0;
  const pending = rowsOf<{ id: string }>(
    await db.execute(sql`select id from contacts where workspace_id = ${params.workspaceId} and id in ${uuidList(params.contactIds)} and anonymised_at is null`),
  );
  if (pending.length === 0) return 0;
  const set = { workspaceId: params.workspaceId, contactIds: pending.map((row) => row.id) };
  await scrubMessagesOfContacts(db, set);
  await deleteOutboxCopiesOfContacts(db, set);
  await deleteRelationshipSummariesOfContacts(db, set);
  for (const table of ["inbox_messages", "contact_enrichments", "push_subscriptions", "contact_relationships"] as const) await deleteContactRowsOf(db, table, set);
  const anonymised = rowsOf<{ id: string }>(
    await db.execute(sql`
      update contacts set email = null, phone = null, first_name = null, last_name = null, locale = null, timezone = null,
        birthday = null, birthday_month = null, birthday_day = null, attributes = '{}'::jsonb,
        anonymised_at = ${ts(params.at)}, updated_at = ${ts(params.at)}
      where workspace_id = ${params.workspaceId} and id in ${uuidList(set.contactIds)} and anonymised_at is null
      returning id`),
  );
  return anonymised.length;
}
