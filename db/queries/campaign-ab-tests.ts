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
 * chunks, released at once; the rest get the following chunks, held until `holdUntil` (the end of
 * the window; nothing emits a chunk before its release_at, campaign-recipients.ts `released`).
 * Serialised with the snapshot by its advisory lock; a retry after the commit changes nothing.
 */
export async function cutChunksForAbTest(
  db: Db,
  params: { campaignId: string; chunkSize: number; variants: number; sampleSize: number; holdUntil: Date },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`campaign-snapshot:${params.campaignId}`}))`);
    const count = async () =>
      Number((await tx.select({ n: sql<number>`count(*)::int` }).from(campaignChunks).where(eq(campaignChunks.campaignId, params.campaignId)))[0]?.n ?? 0);
    if ((await count()) > 0) return count();
    const size = params.chunkSize;
    const sample = params.sampleSize;
    const sampleChunks = Math.ceil(sample / size);
    await tx.execute(sql`
      with ranked as (
        select contact_id, (row_number() over (order by md5(campaign_id::text || contact_id::text), contact_id) - 1)::int as rank
        from ${campaignRecipients} where campaign_id = ${params.campaignId}::uuid
      ), cut as (
        update ${campaignRecipients} r set
          variant = case when ranked.rank < ${sample} then ranked.rank % ${params.variants} end,
          chunk = case when ranked.rank < ${sample} then ranked.rank / ${size} else ${sampleChunks} + (ranked.rank - ${sample}) / ${size} end
        from ranked where r.campaign_id = ${params.campaignId}::uuid and r.contact_id = ranked.contact_id
        returning r.chunk, r.variant
      )
      insert into ${campaignChunks} (campaign_id, chunk, recipients, release_at)
      select ${params.campaignId}::uuid, chunk, count(*)::int,
        case when bool_and(variant is null) then ${params.holdUntil.toISOString()}::timestamptz end
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
 * A winner picked before the window ended: the held chunks (the rest of the audience) are
 * released now instead of at the window's end. Returns how many were released.
 */
export async function releaseHeldChunks(db: Db, params: { campaignId: string; now: Date }): Promise<number> {
  const result = await db.execute(sql`
    update ${campaignChunks} set release_at = ${params.now.toISOString()}::timestamptz
    where campaign_id = ${params.campaignId}::uuid and status = 'pending' and release_at > ${params.now.toISOString()}::timestamptz
    returning chunk`);
  return rowsOf(result).length;
}
