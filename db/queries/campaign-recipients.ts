import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignArchives, campaignChunks, campaignRecipients, contacts } from "@/db/schema";
import { rowsOf } from "./rows-of";
import type { CampaignChannel } from "@/core/messages/channels";

export type CampaignRecipient = typeof campaignRecipients.$inferSelect;
export type RecipientOutcome = Exclude<CampaignRecipient["status"], "pending">;

/**
 * Adds the next page of the audience (contacts matching `audience`, by id, after the last one
 * already snapshotted) to the campaign's recipients, numbering chunks of `chunkSize` in id
 * order. Everything it needs comes from the table itself, so a retried step after a commit adds
 * the following page, and one before the commit redoes the same page: never a gap or a double.
 */
export async function snapshotAudiencePage(
  db: Db,
  params: { campaignId: string; audience: SQL; pageSize: number; chunkSize: number },
): Promise<{ added: number; total: number }> {
  return db.transaction(async (tx) => {
    // Serialises snapshot steps of one campaign (a duplicate execution waits, then adds nothing new).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`campaign-snapshot:${params.campaignId}`}))`);
    const [state] = await tx
      .select({ total: sql<number>`count(*)::int`, last: sql<string | null>`max(${campaignRecipients.contactId}::text)` })
      .from(campaignRecipients)
      .where(eq(campaignRecipients.campaignId, params.campaignId));
    const total = state?.total ?? 0;
    const after = state?.last ?? null;
    const inserted = await tx.execute<{ n: number }>(sql`
      with page as (
        select ${contacts.id} as contact_id, row_number() over (order by ${contacts.id}) - 1 as ord
        from ${contacts}
        where ${params.audience} ${after ? sql`and ${contacts.id} > ${after}::uuid` : sql``}
        order by ${contacts.id}
        limit ${params.pageSize}
      ), added as (
        insert into ${campaignRecipients} (campaign_id, contact_id, chunk)
        select ${params.campaignId}::uuid, contact_id, ((${total} + ord) / ${params.chunkSize})::int from page
        on conflict do nothing
        returning 1
      )
      select count(*)::int as n from added`);
    const added = Number(rowsOf<{ n: number }>(inserted)[0]?.n ?? 0);
    return { added, total: total + added };
  });
}

/** Creates one pending row per chunk of the snapshot; returns how many chunks there are. */
export async function createCampaignChunks(db: Db, params: { campaignId: string }): Promise<number> {
  await db.execute(sql`
    insert into ${campaignChunks} (campaign_id, chunk, recipients)
    select campaign_id, chunk, count(*)::int from ${campaignRecipients}
    where campaign_id = ${params.campaignId}::uuid group by campaign_id, chunk
    on conflict do nothing`);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(campaignChunks)
    .where(eq(campaignChunks.campaignId, params.campaignId));
  return row?.n ?? 0;
}

/** Drops the campaign's audience snapshot (a send that cannot go ahead starts from scratch next time). */
export async function discardAudienceSnapshot(db: Db, params: { campaignId: string }): Promise<void> {
  await db.delete(campaignRecipients).where(eq(campaignRecipients.campaignId, params.campaignId));
}

/** Chunk numbers never emitted yet, in order. */
export async function listUnemittedChunks(db: Db, params: { campaignId: string }): Promise<number[]> {
  const rows = await db
    .select({ chunk: campaignChunks.chunk })
    .from(campaignChunks)
    .where(and(eq(campaignChunks.campaignId, params.campaignId), eq(campaignChunks.emits, 0)))
    .orderBy(asc(campaignChunks.chunk));
  return rows.map((row) => row.chunk);
}

/** Chunk numbers not yet done, in order; `emittedBefore` limits them to ones not emitted since. */
export async function listPendingChunks(db: Db, params: { campaignId: string; emittedBefore?: Date }): Promise<number[]> {
  const rows = await db
    .select({ chunk: campaignChunks.chunk })
    .from(campaignChunks)
    .where(
      and(
        eq(campaignChunks.campaignId, params.campaignId),
        eq(campaignChunks.status, "pending"),
        params.emittedBefore
          ? sql`(${campaignChunks.emittedAt} is null or ${campaignChunks.emittedAt} < ${params.emittedBefore.toISOString()}::timestamptz)`
          : undefined,
      ),
    )
    .orderBy(asc(campaignChunks.chunk));
  return rows.map((row) => row.chunk);
}

/** Counts one more emission of each chunk; returns each chunk's emission number (for its event id). */
export async function markChunksEmitted(db: Db, params: { campaignId: string; chunks: number[] }): Promise<Map<number, number>> {
  if (params.chunks.length === 0) return new Map();
  const result = await db.execute<{ chunk: number; emits: number }>(sql`
    update ${campaignChunks} set emits = emits + 1, emitted_at = now()
    where campaign_id = ${params.campaignId}::uuid and chunk = any(${`{${params.chunks.join(",")}}`}::int[])
    returning chunk, emits`);
  return new Map(rowsOf<{ chunk: number; emits: number }>(result).map((row) => [Number(row.chunk), Number(row.emits)]));
}

/**
 * Marks a chunk done once none of its recipients is pending. Returns true only for the call
 * that made the change, so exactly one execution reports the chunk complete.
 */
export async function completeChunk(db: Db, params: { campaignId: string; chunk: number }): Promise<boolean> {
  const result = await db.execute(sql`
    update ${campaignChunks} set status = 'done', done_at = now()
    where campaign_id = ${params.campaignId}::uuid and chunk = ${params.chunk} and status = 'pending'
      and not exists (
        select 1 from ${campaignRecipients}
        where campaign_id = ${params.campaignId}::uuid and chunk = ${params.chunk} and status = 'pending')
    returning 1`);
  return rowsOf(result).length > 0;
}

/**
 * True when none of the campaign's chunks is pending. Read after completeChunk committed, so of
 * chunks finishing at the same time the last to commit always sees every chunk done (more than
 * one may: the report they send carries one id per campaign, and finalizing is idempotent).
 */
export async function allChunksDone(db: Db, params: { campaignId: string }): Promise<boolean> {
  const result = await db.execute(sql`
    select not exists (
      select 1 from ${campaignChunks} where campaign_id = ${params.campaignId}::uuid and status = 'pending'
    ) as done`);
  return Boolean(rowsOf<{ done: boolean }>(result)[0]?.done);
}

export type CampaignProgress = { chunks: number; chunksDone: number; pending: number; sent: number; suppressed: number; failed: number; audience: number };

/**
 * The campaign's progress through its audience. Once an archive has moved the recipients to cold
 * storage (its files verified, so deleting may have begun), the counts are the ones the archive
 * recorded before anything moved: the campaign's pages and its seals' drift read the same numbers
 * after archiving as before.
 */
export async function campaignProgress(db: Db, params: { campaignId: string }): Promise<CampaignProgress> {
  const live = await liveCampaignProgress(db, params);
  const [archived] = rowsOf<{ progress: Record<string, unknown> | null }>(
    await db.execute(sql`
      select manifest->'progress' as progress from ${campaignArchives}
      where campaign_id = ${params.campaignId}::uuid and status <> 'restored' and manifest->>'verifiedAt' is not null`),
  );
  if (!archived?.progress) return live;
  const count = (name: string) => Number(archived.progress?.[name] ?? 0);
  return { ...live, pending: 0, sent: count("sent"), suppressed: count("suppressed"), failed: count("failed"), audience: count("audience") };
}

/** The counts of the recipients the database holds now (what an archive records before it moves them). */
export async function liveCampaignProgress(db: Db, params: { campaignId: string }): Promise<CampaignProgress> {
  const result = await db.execute<Record<keyof CampaignProgress, number>>(sql`
    select
      (select count(*)::int from ${campaignChunks} where campaign_id = ${params.campaignId}::uuid) as chunks,
      (select count(*)::int from ${campaignChunks} where campaign_id = ${params.campaignId}::uuid and status = 'done') as "chunksDone",
      count(*) filter (where status = 'pending')::int as pending,
      count(*) filter (where status = 'sent')::int as sent,
      count(*) filter (where status = 'suppressed')::int as suppressed,
      count(*) filter (where status = 'failed')::int as failed,
      count(*)::int as audience
    from ${campaignRecipients} where campaign_id = ${params.campaignId}::uuid`);
  const row = rowsOf(result)[0]!;
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as CampaignProgress;
}

export type FailureReason = { reason: string; count: number };

/** The most common reasons a campaign's recipients failed, most frequent first. */
export async function campaignFailureReasons(db: Db, params: { campaignId: string; limit: number }): Promise<FailureReason[]> {
  const result = await db.execute(sql`
    select coalesce(reason, 'unknown error') as reason, count(*)::int as count
    from ${campaignRecipients}
    where campaign_id = ${params.campaignId}::uuid and status = 'failed'
    group by 1 order by 2 desc, 1
    limit ${params.limit}`);
  return rowsOf<{ reason: string; count: number }>(result).map((row) => ({ reason: row.reason, count: Number(row.count) }));
}

export type CampaignFailure = { contactId: string; recipient: string | null; messageId: string | null; error: string; failedAt: Date | null };

/**
 * One page of a campaign's failed recipients with the error each got, in contact-id order after
 * `afterContactId` (the primary key serves it, however large the campaign). The recipient is the
 * message's address, or the contact's when it failed before a message was made (an SMS number
 * not in E.164 form); null when the contact was erased since.
 */
export async function listCampaignFailures(
  db: Db,
  params: { workspaceId: string; campaignId: string; channel: CampaignChannel; afterContactId?: string; limit: number },
): Promise<CampaignFailure[]> {
  const address = params.channel === "email" ? sql`c.email` : sql`c.phone`;
  const result = await db.execute(sql`
    select r.contact_id, r.message_id, coalesce(r.reason, 'unknown error') as reason, r.updated_at, coalesce(m.recipient, ${address}) as recipient
    from ${campaignRecipients} r
    left join messages m on m.id = r.message_id and m.workspace_id = ${params.workspaceId}::uuid
    left join ${contacts} c on c.id = r.contact_id and c.workspace_id = ${params.workspaceId}::uuid
    where r.campaign_id = ${params.campaignId}::uuid and r.status = 'failed'
      ${params.afterContactId ? sql`and r.contact_id > ${params.afterContactId}::uuid` : sql``}
    order by r.contact_id
    limit ${params.limit}`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    contactId: String(row.contact_id),
    recipient: (row.recipient as string | null) ?? null,
    messageId: (row.message_id as string | null) ?? null,
    error: String(row.reason),
    failedAt: row.updated_at ? new Date(row.updated_at as string) : null,
  }));
}
