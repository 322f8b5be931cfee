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

/**
 * Drops the campaign's audience snapshot (a send that cannot go ahead starts from scratch next
 * time), with the chunks a local-time campaign cut by zone before its credits were reserved.
 */
export async function discardAudienceSnapshot(db: Db, params: { campaignId: string }): Promise<void> {
  await db.delete(campaignRecipients).where(eq(campaignRecipients.campaignId, params.campaignId));
  await db.delete(campaignChunks).where(eq(campaignChunks.campaignId, params.campaignId));
}

/**
 * Chunks of a local-time campaign wait for their zone's instant (campaign_chunks.release_at):
 * none is listed for emitting before it, by the fan-out, a resume or the watchdog alike. The
 * instant is the app's clock, never SQL now(), so tests can move time.
 */
const released = (releasedBy: Date): SQL => sql`(${campaignChunks.releaseAt} is null or ${campaignChunks.releaseAt} <= ${releasedBy.toISOString()}::timestamptz)`;

/** Chunk numbers never emitted yet and released by `releasedBy` (now by default), in order. */
export async function listUnemittedChunks(db: Db, params: { campaignId: string; releasedBy?: Date }): Promise<number[]> {
  const rows = await db
    .select({ chunk: campaignChunks.chunk })
    .from(campaignChunks)
    .where(and(eq(campaignChunks.campaignId, params.campaignId), eq(campaignChunks.emits, 0), released(params.releasedBy ?? new Date())))
    .orderBy(asc(campaignChunks.chunk));
  return rows.map((row) => row.chunk);
}

/**
 * Chunk numbers not yet done and released by `releasedBy` (now by default), in order;
 * `emittedBefore` limits them to ones not emitted since, `zone` to one zone's chunks, `releasedAt`
 * to those released at exactly that instant,
 * `neverEmitted` to ones never emitted (an A/B campaign's held chunks, released once).
 */
export async function listPendingChunks(
  db: Db,
  params: { campaignId: string; emittedBefore?: Date; releasedBy?: Date; zone?: string; releasedAt?: Date; neverEmitted?: boolean },
): Promise<number[]> {
  const rows = await db
    .select({ chunk: campaignChunks.chunk })
    .from(campaignChunks)
    .where(
      and(
        eq(campaignChunks.campaignId, params.campaignId),
        eq(campaignChunks.status, "pending"),
        released(params.releasedBy ?? new Date()),
        params.zone ? eq(campaignChunks.zone, params.zone) : undefined,
        params.releasedAt ? eq(campaignChunks.releaseAt, params.releasedAt) : undefined,
        params.neverEmitted ? eq(campaignChunks.emits, 0) : undefined,
        params.emittedBefore
          ? sql`(${campaignChunks.emittedAt} is null or ${campaignChunks.emittedAt} < ${params.emittedBefore.toISOString()}::timestamptz)`
          : undefined,
      ),
    )
    .orderBy(asc(campaignChunks.chunk));
  return rows.map((row) => row.chunk);
}

/** The distinct time zones contacts of the snapshot name (null: none), for a local-time campaign. */
export async function listRecipientTimezones(db: Db, params: { campaignId: string }): Promise<(string | null)[]> {
  const result = await db.execute(sql`
    select distinct c.timezone from ${campaignRecipients} r
    left join ${contacts} c on c.id = r.contact_id
    where r.campaign_id = ${params.campaignId}::uuid`);
  return rowsOf<{ timezone: string | null }>(result).map((row) => row.timezone ?? null);
}

/**
 * Cuts a local-time campaign's snapshot into chunks of one zone each and creates them with their
 * zone and release instant: recipients are renumbered zone by zone (in contact-id order within a
 * zone, `chunkSize` per chunk), so each zone costs ceil(n / chunkSize) chunk runs and one release.
 * `zoneOf` maps each contact timezone value to the zone it is sent in (an invalid one to the
 * workspace's, which `defaultZone` also gives contacts with none); `releaseAt` gives each zone's
 * instant. Done once: a retry after the commit finds the chunks made and changes nothing, so
 * a contact whose zone changed mid-way cannot move between chunks already made.
 */
export async function cutChunksByZone(
  db: Db,
  params: { campaignId: string; chunkSize: number; zoneOf: Record<string, string>; defaultZone: string; releaseAt: Record<string, string> },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`campaign-snapshot:${params.campaignId}`}))`);
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(campaignChunks).where(eq(campaignChunks.campaignId, params.campaignId));
    if (Number(existing?.n ?? 0) > 0) return Number(existing!.n);
    const size = params.chunkSize;
    await tx.execute(sql`
      with zoned as (
        select r.contact_id, coalesce(m.zone, ${params.defaultZone}) as zone
        from ${campaignRecipients} r
        left join ${contacts} c on c.id = r.contact_id
        left join jsonb_each_text(${JSON.stringify(params.zoneOf)}::jsonb) m(raw, zone) on m.raw = c.timezone
        where r.campaign_id = ${params.campaignId}::uuid
      ), counts as (
        select zone, count(*) as n from zoned group by zone
      ), bases as (
        select zone, coalesce(sum(ceil(n::numeric / ${size})) over (order by zone rows between unbounded preceding and 1 preceding), 0)::int as base from counts
      ), ranked as (
        select z.contact_id, z.zone, b.base + ((row_number() over (partition by z.zone order by z.contact_id) - 1) / ${size})::int as chunk
        from zoned z join bases b on b.zone = z.zone
      ), renumbered as (
        update ${campaignRecipients} r set chunk = ranked.chunk
        from ranked where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = ranked.contact_id
        returning ranked.chunk, ranked.zone
      )
      insert into ${campaignChunks} (campaign_id, chunk, recipients, zone, release_at)
      select ${params.campaignId}::uuid, chunk, count(*)::int, zone, (${JSON.stringify(params.releaseAt)}::jsonb ->> zone)::timestamptz
      from renumbered group by chunk, zone
      on conflict do nothing`);
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(campaignChunks).where(eq(campaignChunks.campaignId, params.campaignId));
    return Number(row?.n ?? 0);
  });
}

export type ZoneSchedule = { zone: string; releaseAt: Date; chunks: number; chunksDone: number; recipients: number; sent: number };

/** A local-time campaign's zones, earliest first: when each is released and how far it got. */
export async function campaignZoneSchedule(db: Db, params: { campaignId: string }): Promise<ZoneSchedule[]> {
  const result = await db.execute(sql`
    select ch.zone, min(ch.release_at) as release_at, count(*)::int as chunks,
      count(*) filter (where ch.status = 'done')::int as chunks_done,
      sum(ch.recipients)::int as recipients,
      coalesce(sum((select count(*) from ${campaignRecipients} r where r.campaign_id = ch.campaign_id and r.chunk = ch.chunk and r.status = 'sent')), 0)::int as sent
    from ${campaignChunks} ch
    where ch.campaign_id = ${params.campaignId}::uuid and ch.zone is not null
    group by ch.zone order by 2, 1`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    zone: String(row.zone),
    releaseAt: new Date(row.release_at as string),
    chunks: Number(row.chunks),
    chunksDone: Number(row.chunks_done),
    recipients: Number(row.recipients),
    sent: Number(row.sent),
  }));
}

/**
 * Counts one more emission of each chunk; returns each chunk's emission number (for its event id).
 * With `emittedBefore` (or `neverEmitted`), only chunks not emitted since then (or ever) are
 * counted and returned: the check and the count are one statement, so of two callers racing for a
 * chunk (a zone's release and the watchdog at the same instant) one emits it. `at` is the app's
 * clock, which the watchdog compares emitted_at with.
 */
export async function markChunksEmitted(
  db: Db,
  params: { campaignId: string; chunks: number[]; at: Date; emittedBefore?: Date; neverEmitted?: boolean },
): Promise<Map<number, number>> {
  if (params.chunks.length === 0) return new Map();
  const notSince = params.neverEmitted
    ? sql`and emits = 0`
    : params.emittedBefore
      ? sql`and (emitted_at is null or emitted_at < ${params.emittedBefore.toISOString()}::timestamptz)`
      : sql``;
  const result = await db.execute<{ chunk: number; emits: number }>(sql`
    update ${campaignChunks} set emits = emits + 1, emitted_at = ${params.at.toISOString()}::timestamptz
    where campaign_id = ${params.campaignId}::uuid and chunk = any(${`{${params.chunks.join(",")}}`}::int[]) ${notSince}
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
