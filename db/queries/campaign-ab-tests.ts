import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { type AbRecordedResult, campaignChunks, campaignRecipients, campaigns } from "@/db/schema";
import type { AbMetric } from "@/core/ab-tests/ab-test";
import { abConversion } from "./ab-conversion";
import type { Campaign } from "./campaigns";
import { rowsOf } from "./rows-of";

/**
 * Cuts an A/B campaign's snapshot into the test sample and the rest, once. The recipients are
 * ranked by md5(campaign, contact) — random across contacts, the same on every call — and the
 * first `sampleSize` ranks get variant `rank % variants` (even to one recipient) and the first
 * chunks; the rest get the following chunks, held until `holdUntil` (nothing emits a chunk before
 * its release_at, campaign-recipients.ts `released`). `sendAt` gives each variant's release
 * (null: at once); the sample's chunks are cut per distinct release, so a send-time test's later
 * variants wait in chunks of their own while a content test's variants share chunks.
 * Serialised with the snapshot by its advisory lock; a retry after the commit changes nothing.
 */
export async function cutChunksForAbTest(
  db: Db,
  params: { campaignId: string; chunkSize: number; sendAt: (Date | null)[]; sampleSize: number; holdUntil: Date },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`campaign-snapshot:${params.campaignId}`}))`);
    const count = async () =>
      Number((await tx.select({ n: sql<number>`count(*)::int` }).from(campaignChunks).where(eq(campaignChunks.campaignId, params.campaignId)))[0]?.n ?? 0);
    if ((await count()) > 0) return count();
    const { chunkSize: size, sampleSize: sample } = params;
    const variants = params.sendAt.length;
    // Variants released at the same instant form one group; a group's chunks follow the last group's.
    const releases = [...new Set(params.sendAt.map((at) => at?.getTime() ?? null))];
    const groupOf = params.sendAt.map((at) => releases.indexOf(at?.getTime() ?? null));
    const perVariant = params.sendAt.map((_, v) => (v < sample ? Math.ceil((sample - v) / variants) : 0));
    const offsets: number[] = [];
    let sampleChunks = 0;
    for (let group = 0; group < releases.length; group++) {
      offsets.push(sampleChunks);
      sampleChunks += Math.ceil(perVariant.reduce((sum, n, v) => sum + (groupOf[v] === group ? n : 0), 0) / size);
    }
    // Integers computed here, written into the statement: as parameters they would be untyped text.
    const int = (n: number) => sql.raw(String(Math.trunc(n)));
    const groupCase = sql.join(
      groupOf.map((group, v) => sql`when ${int(v)} then ${int(group)}`),
      sql` `,
    );
    const offsetCase = sql.join(
      offsets.map((offset, group) => sql`when ${int(group)} then ${int(offset)}`),
      sql` `,
    );
    const releaseCase = sql.join(
      releases.map((at, group) => (at === null ? sql`when ${int(group)} then null::timestamptz` : sql`when ${int(group)} then ${new Date(at).toISOString()}::timestamptz`)),
      sql` `,
    );
    await tx.execute(sql`
      with ranked as (
        select contact_id, (row_number() over (order by md5(campaign_id::text || contact_id::text), contact_id) - 1)::int as rank
        from ${campaignRecipients} where campaign_id = ${params.campaignId}::uuid
      ), grouped as (
        select contact_id, rank, case when rank < ${sample} then (case (rank % ${variants}) ${groupCase} end) end as release_group
        from ranked
      ), placed as (
        select contact_id, rank, release_group,
          (row_number() over (partition by release_group order by rank) - 1)::int as position
        from grouped
      ), cut as (
        update ${campaignRecipients} r set
          variant = case when placed.release_group is not null then placed.rank % ${variants} end,
          chunk = case when placed.release_group is not null then (case placed.release_group ${offsetCase} end) + placed.position / ${size}
            else ${sampleChunks} + placed.position / ${size} end
        from placed where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = placed.contact_id
        returning r.chunk, r.variant
      )
      insert into ${campaignChunks} (campaign_id, chunk, recipients, release_at)
      select ${params.campaignId}::uuid, chunk, count(*)::int,
        case when bool_and(variant is null) then ${params.holdUntil.toISOString()}::timestamptz
          else (case min(case variant ${groupCase} end) ${releaseCase} end) end
      from cut group by chunk
      on conflict do nothing`);
    return count();
  });
}

export type AbVariantCount = { variant: number; recipients: number; sent: number; conversions: number };

/**
 * Each test variant's recipients, how many were sent, and how many of those converted
 * (abConversion: a human open or click of the message, or a `goal` contact event at or after
 * `since`, when the test started). One row per variant that has recipients, in variant order.
 */
export async function abVariantCounts(
  db: Db,
  params: { workspaceId: string; campaignId: string; metric: AbMetric; goalEvent?: string | null; since: Date },
): Promise<AbVariantCount[]> {
  const converted = abConversion({ ...params, messageId: sql`r.message_id`, contactId: sql`r.contact_id`, since: sql`${params.since.toISOString()}::timestamptz` });
  const result = await db.execute(sql`
    select r.variant, count(*)::int as recipients,
      count(*) filter (where r.status = 'sent')::int as sent,
      count(*) filter (where r.status = 'sent' and ${converted})::int as conversions
    from ${campaignRecipients} r
    where r.campaign_id = ${params.campaignId}::uuid and r.variant is not null
    group by r.variant order by r.variant`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    variant: Number(row.variant),
    recipients: Number(row.recipients),
    sent: Number(row.sent),
    conversions: Number(row.conversions),
  }));
}

/**
 * Records the test's winner, once: only while none is recorded. Returns the campaign when this
 * call recorded it, undefined when another one (a replay, a retry, a person) got there first.
 */
export async function recordAbWinner(
  db: Db,
  params: { workspaceId: string; campaignId: string; winner: number; result: AbRecordedResult; decidedBy: "window" | "manual"; decidedAt: Date },
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({ abWinner: params.winner, abResult: params.result, abDecidedBy: params.decidedBy, abDecidedAt: params.decidedAt, updatedAt: params.decidedAt })
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId), isNull(campaigns.abWinner)))
    .returning();
  return row;
}

/**
 * The held chunks (the rest of the audience, still waiting for their release) move to `to`: now,
 * for a winner picked by hand before the window ended; the winner's time of day, in a send-time
 * test. Returns how many moved; a repeat with the same `to` changes nothing.
 */
export async function moveHeldChunks(db: Db, params: { campaignId: string; now: Date; to: Date }): Promise<number> {
  const result = await db.execute(sql`
    update ${campaignChunks} set release_at = ${params.to.toISOString()}::timestamptz
    where campaign_id = ${params.campaignId}::uuid and status = 'pending' and emits = 0 and release_at > ${params.now.toISOString()}::timestamptz
    returning chunk`);
  return rowsOf(result).length;
}
