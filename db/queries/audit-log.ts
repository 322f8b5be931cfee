import { and, asc, desc, eq, gt, gte, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog } from "@/db/schema";
import { auditDetailsDigest, auditEntryHash, storableDetails, type AuditContent, type ChainedEntry } from "@/core/audit/audit-chain";

export type AuditEntryInput = {
  workspaceId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

export type AuditEntry = typeof auditLog.$inferSelect;

/**
 * The first key of the two-key advisory locks that serialise a chain's writers (the second is
 * the chain's hashed name). Held to the end of the transaction, so two writers never read the
 * same head and fork the chain.
 */
const AUDIT_CHAIN_LOCK = 16_006;

const chainOf = (workspaceId: string | null) => (workspaceId === null ? isNull(auditLog.workspaceId) : eq(auditLog.workspaceId, workspaceId));

/** Takes the chain's lock (inside the caller's transaction) and reads its head's hash. */
async function lockChainHead(tx: Db, workspaceId: string | null): Promise<string | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(${workspaceId ?? "global"}))`);
  // Newest by id: ids are drawn while the lock is held, so id order is chain order. Reads the
  // (workspace_id, id) index backwards, one row.
  const [head] = await tx.select({ hash: auditLog.hash }).from(auditLog).where(chainOf(workspaceId)).orderBy(desc(auditLog.id)).limit(1);
  return head?.hash ?? null;
}

/**
 * Appends entries to their chains: per chain (taken in a fixed order, so two bulk writers
 * cannot deadlock), lock, read the head, hash each entry over its content and its
 * predecessor's hash, insert in order. The entries' created_at comes from the app's clock.
 */
async function appendEntries(db: Db, entries: readonly AuditEntryInput[]): Promise<void> {
  const createdAt = new Date();
  const chains = new Map<string | null, AuditContent[]>();
  for (const entry of entries) {
    const content: AuditContent = {
      workspaceId: entry.workspaceId,
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: storableDetails(entry.details),
      createdAt,
    };
    chains.set(entry.workspaceId, [...(chains.get(entry.workspaceId) ?? []), content]);
  }
  const order = [...chains.keys()].sort((a, b) => (a ?? "").localeCompare(b ?? ""));
  await db.transaction(async (tx) => {
    for (const workspaceId of order) {
      let prevHash = await lockChainHead(tx, workspaceId);
      const rows = chains.get(workspaceId)!.map((content) => {
        const detailsDigest = auditDetailsDigest(content.details);
        const hash = auditEntryHash({ ...content, detailsDigest }, prevHash);
        const row = { ...content, detailsDigest, prevHash, hash };
        prevHash = hash;
        return row;
      });
      // One multi-row VALUES: Postgres draws the serial ids in list order, which keeps chain order.
      await tx.insert(auditLog).values(rows);
    }
  });
}

export async function insertAuditEntry(db: Db, params: AuditEntryInput): Promise<void> {
  await appendEntries(db, [params]);
}

/** Several entries in one transaction (a bulk action audits each row it changed). */
export async function insertAuditEntries(db: Db, entries: readonly AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await appendEntries(db, entries);
}

export type AuditLogFilter = {
  workspaceId: string;
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** The last id of the previous page: the next is strictly older. */
  beforeId?: number;
  limit: number;
};

/** A workspace's entries, newest first (by id, the chain's order), filtered. */
export async function listAuditEntries(db: Db, filter: AuditLogFilter): Promise<AuditEntry[]> {
  const conditions: (SQL | undefined)[] = [
    eq(auditLog.workspaceId, filter.workspaceId),
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
    filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
    filter.from ? gte(auditLog.createdAt, filter.from) : undefined,
    filter.to ? lt(auditLog.createdAt, filter.to) : undefined,
    filter.beforeId !== undefined ? lt(auditLog.id, filter.beforeId) : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}

/** One keyset batch of a chain in chain order, for verification. */
export async function readChainBatch(db: Db, params: { workspaceId: string | null; afterId: number; limit: number }): Promise<ChainedEntry[]> {
  const rows = await db
    .select({
      id: auditLog.id,
      workspaceId: auditLog.workspaceId,
      actor: auditLog.actor,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      createdAt: auditLog.createdAt,
      prevHash: auditLog.prevHash,
      hash: auditLog.hash,
      detailsDigest: auditLog.detailsDigest,
    })
    .from(auditLog)
    .where(and(chainOf(params.workspaceId), gt(auditLog.id, params.afterId)))
    .orderBy(asc(auditLog.id))
    .limit(params.limit);
  return rows;
}
