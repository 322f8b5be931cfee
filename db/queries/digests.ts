import { and, asc, eq, sql } from "drizzle-orm";
import type { Channel } from "@/core/messages/channels";
import type { Db } from "@/db";
import { digestItems, digests } from "@/db/schema";

export type Digest = typeof digests.$inferSelect;
export type DigestItem = typeof digestItems.$inferSelect;

/**
 * Adds a notification to the contact's pending digest for its category and channel, opening one
 * (due `windowSeconds` from now) when none is pending. One transaction: the upsert locks the
 * pending row, so a flush (`claimDigest`) waits for the item to commit and then sends it, or has
 * already moved the row on and the item opens a new digest. A repeated idempotency key adds
 * nothing and answers the digest it joined.
 */
export async function addDigestItem(
  db: Db,
  params: {
    workspaceId: string;
    contactId: string;
    category: string;
    channel: Channel;
    windowSeconds: number;
    item: { idempotencyKey: string; templateId: string | null; subject: string | null; body: string | null; data: Record<string, unknown> };
  },
): Promise<{ digest: Digest; opened: boolean; added: boolean }> {
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ digest: digests })
      .from(digestItems)
      .innerJoin(digests, eq(digests.id, digestItems.digestId))
      .where(and(eq(digestItems.workspaceId, params.workspaceId), eq(digestItems.idempotencyKey, params.item.idempotencyKey)));
    if (known) return { digest: known.digest, opened: false, added: false };
    const [digest] = await tx
      .insert(digests)
      .values({
        workspaceId: params.workspaceId,
        contactId: params.contactId,
        category: params.category,
        channel: params.channel,
        flushAt: sql`now() + make_interval(secs => ${params.windowSeconds})`,
      })
      .onConflictDoUpdate({
        target: [digests.workspaceId, digests.contactId, digests.category, digests.channel],
        targetWhere: sql`${digests.status} = 'pending'`,
        set: { updatedAt: sql`now()` },
      })
      .returning();
    // A new row has both stamps from one now(); a pending row found again gets a later updated_at.
    const opened = digest!.createdAt.getTime() === digest!.updatedAt.getTime();
    const [item] = await tx
      .insert(digestItems)
      .values({ workspaceId: params.workspaceId, digestId: digest!.id, ...params.item })
      .onConflictDoNothing()
      .returning({ id: digestItems.id });
    return { digest: digest!, opened, added: Boolean(item) };
  });
}

export async function getDigest(db: Db, params: { workspaceId: string; digestId: string }): Promise<Digest | undefined> {
  const [row] = await db
    .select()
    .from(digests)
    .where(and(eq(digests.workspaceId, params.workspaceId), eq(digests.id, params.digestId)));
  return row;
}

/** The pending digests of a workspace, the longest waiting first, with how many items each holds. */
export async function listPendingDigests(db: Db, params: { workspaceId: string; limit: number }): Promise<(Digest & { itemCount: number })[]> {
  return db
    .select({ ...getColumns(), itemCount: sql<number>`(select count(*)::int from digest_items i where i.digest_id = digests.id)` })
    .from(digests)
    .where(and(eq(digests.workspaceId, params.workspaceId), eq(digests.status, "pending")))
    .orderBy(asc(digests.createdAt), asc(digests.id))
    .limit(params.limit);
}

function getColumns() {
  const { id, workspaceId, contactId, category, channel, status, flushAt, messageId, createdAt, updatedAt } = digests;
  return { id, workspaceId, contactId, category, channel, status, flushAt, messageId, createdAt, updatedAt };
}

export async function countDigestItems(db: Db, params: { digestId: string }): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(digestItems).where(eq(digestItems.digestId, params.digestId));
  return row?.count ?? 0;
}

/** A digest's items, oldest first: the order the digest message lists them in. */
export async function listDigestItems(db: Db, params: { digestId: string }): Promise<DigestItem[]> {
  return db.select().from(digestItems).where(eq(digestItems.digestId, params.digestId)).orderBy(asc(digestItems.createdAt), asc(digestItems.id));
}

/**
 * Moves a pending digest on (to `sent` when flushing, `cancelled`), once: the conditional UPDATE
 * is what makes a flush and a cancel racing each other, or a flush retried, act only once.
 */
export async function closeDigest(db: Db, params: { workspaceId: string; digestId: string; to: "sent" | "cancelled" }): Promise<Digest | undefined> {
  const [row] = await db
    .update(digests)
    .set({ status: params.to, updatedAt: sql`now()` })
    .where(and(eq(digests.workspaceId, params.workspaceId), eq(digests.id, params.digestId), eq(digests.status, "pending")))
    .returning();
  return row;
}

export async function setDigestMessage(db: Db, params: { workspaceId: string; digestId: string; messageId: string }): Promise<void> {
  await db
    .update(digests)
    .set({ messageId: params.messageId, updatedAt: sql`now()` })
    .where(and(eq(digests.workspaceId, params.workspaceId), eq(digests.id, params.digestId)));
}


/**
 * Makes a pending digest due now (a flush asked through the API): the run that waits for it gets
 * the flush event, and a run not yet waiting finds it due; undefined when it is not pending.
 */
export async function makeDigestDue(db: Db, params: { workspaceId: string; digestId: string }): Promise<Digest | undefined> {
  const [row] = await db
    .update(digests)
    .set({ flushAt: sql`least(${digests.flushAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(digests.workspaceId, params.workspaceId), eq(digests.id, params.digestId), eq(digests.status, "pending")))
    .returning();
  return row;
}
