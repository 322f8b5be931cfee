import { and, asc, desc, eq, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { metricSeals } from "@/db/schema";
import type { SealKind } from "@/core/seals/seal-format";
import { rowsOf } from "./rows-of";

export type MetricSeal = typeof metricSeals.$inferSelect;
export type NewMetricSeal = Omit<typeof metricSeals.$inferInsert, "id" | "rootId" | "leafIndex" | "proof">;
export type ChainHead = { sequence: number; hash: string } | null;

/**
 * Appends a seal to the workspace's chain. The chain is locked for the read-the-head-and-insert
 * (a `POST …/seals` and the sealing function may seal the same workspace at once, and a fork
 * would make one of them unverifiable); the unique (workspace, sequence) index is the second
 * line. A finished or settled seal that already exists is returned as it is, so a re-run step
 * seals nothing twice.
 */
export async function appendMetricSeal(
  db: Db,
  params: { workspaceId: string; campaignId: string; kind: SealKind; make: (head: ChainHead) => Promise<NewMetricSeal> },
): Promise<{ seal: MetricSeal; created: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`seal-chain:${params.workspaceId}`}))`);
    if (params.kind !== "manual") {
      const [existing] = await tx
        .select()
        .from(metricSeals)
        .where(and(eq(metricSeals.workspaceId, params.workspaceId), eq(metricSeals.campaignId, params.campaignId), eq(metricSeals.kind, params.kind)));
      if (existing) return { seal: existing, created: false };
    }
    const [head] = await tx
      .select({ sequence: metricSeals.sequence, hash: metricSeals.hash })
      .from(metricSeals)
      .where(eq(metricSeals.workspaceId, params.workspaceId))
      .orderBy(desc(metricSeals.sequence))
      .limit(1);
    const values = await params.make(head ?? null);
    const [seal] = await tx.insert(metricSeals).values(values).returning();
    return { seal: seal!, created: true };
  });
}

export async function listCampaignSeals(db: Db, params: { workspaceId: string; campaignId: string }): Promise<MetricSeal[]> {
  return db
    .select()
    .from(metricSeals)
    .where(and(eq(metricSeals.workspaceId, params.workspaceId), eq(metricSeals.campaignId, params.campaignId)))
    .orderBy(asc(metricSeals.sequence));
}

/** By id alone: the public endpoint's lookup (a seal id is a random UUID, and a seal holds no PII). */
export async function getMetricSeal(db: Db, params: { sealId: string }): Promise<MetricSeal | undefined> {
  const [seal] = await db.select().from(metricSeals).where(eq(metricSeals.id, params.sealId));
  return seal;
}

export async function getMetricSealBySequence(db: Db, params: { workspaceId: string; sequence: number }): Promise<MetricSeal | undefined> {
  const [seal] = await db
    .select()
    .from(metricSeals)
    .where(and(eq(metricSeals.workspaceId, params.workspaceId), eq(metricSeals.sequence, params.sequence)));
  return seal;
}

/** UTC days, oldest first, that have seals in no root yet and ended before `before`. */
export async function unrootedSealDays(db: Db, params: { before: Date; limit: number }): Promise<string[]> {
  const result = await db.execute<{ day: string }>(sql`
    select distinct to_char(${metricSeals.sealedAt} at time zone 'UTC', 'YYYY-MM-DD') as day
    from ${metricSeals}
    where ${metricSeals.rootId} is null and ${metricSeals.sealedAt} < ${params.before.toISOString()}
    order by day
    limit ${params.limit}`);
  return rowsOf<{ day: string }>(result).map((row) => row.day);
}

/** The day's seals in no root yet, in the order they become leaves (by time of sealing), locked until the root is written. */
export async function lockUnrootedSeals(db: Db, params: { from: Date; to: Date }): Promise<Pick<MetricSeal, "id" | "hash">[]> {
  return db
    .select({ id: metricSeals.id, hash: metricSeals.hash })
    .from(metricSeals)
    .where(and(isNull(metricSeals.rootId), sql`${metricSeals.sealedAt} >= ${params.from.toISOString()}`, lt(metricSeals.sealedAt, params.to)))
    .orderBy(asc(metricSeals.sealedAt), asc(metricSeals.id))
    .for("update");
}

export async function attachSealToRoot(db: Db, params: { sealId: string; rootId: string; leafIndex: number; proof: string[] }): Promise<void> {
  await db
    .update(metricSeals)
    .set({ rootId: params.rootId, leafIndex: params.leafIndex, proof: params.proof })
    .where(and(eq(metricSeals.id, params.sealId), isNull(metricSeals.rootId)));
}
