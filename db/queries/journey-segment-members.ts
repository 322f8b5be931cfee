import { and, asc, eq, inArray, lt, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { journeySegmentMembers } from "@/db/schema";

/**
 * Records a page of segment members as seen at `stamp` (one INSERT … ON CONFLICT for the page)
 * and returns those among them that entered at `stamp`: the ones that had no row before — or,
 * when this page is a retry of one that committed, the ones its first attempt recorded.
 */
export async function recordSegmentMembers(db: Db, params: { journeyId: string; version: number; contactIds: string[]; stamp: Date }): Promise<string[]> {
  if (params.contactIds.length === 0) return [];
  await db
    .insert(journeySegmentMembers)
    .values(params.contactIds.map((contactId) => ({ journeyId: params.journeyId, version: params.version, contactId, enteredAt: params.stamp, seenAt: params.stamp })))
    .onConflictDoUpdate({ target: [journeySegmentMembers.journeyId, journeySegmentMembers.version, journeySegmentMembers.contactId], set: { seenAt: params.stamp } });
  const rows = await db
    .select({ contactId: journeySegmentMembers.contactId })
    .from(journeySegmentMembers)
    .where(
      and(
        eq(journeySegmentMembers.journeyId, params.journeyId),
        eq(journeySegmentMembers.version, params.version),
        inArray(journeySegmentMembers.contactId, params.contactIds),
        eq(journeySegmentMembers.enteredAt, params.stamp),
      ),
    );
  return rows.map((row) => row.contactId);
}

/**
 * Ends an evaluation: deletes the members it did not see (they left the segment, so coming back
 * is a new entry) and any rows of other versions of the journey (a republished version keeps its
 * own). One statement; returns how many left.
 */
export async function dropSegmentLeavers(db: Db, params: { journeyId: string; version: number; stamp: Date }): Promise<number> {
  const rows = await db
    .delete(journeySegmentMembers)
    .where(
      and(
        eq(journeySegmentMembers.journeyId, params.journeyId),
        or(ne(journeySegmentMembers.version, params.version), lt(journeySegmentMembers.seenAt, params.stamp)),
      ),
    )
    .returning({ version: journeySegmentMembers.version });
  return rows.filter((row) => row.version === params.version).length;
}

/** The members a journey version last saw, in contact id order. */
export async function listSegmentMembers(db: Db, params: { journeyId: string; version: number }): Promise<{ contactId: string; enteredAt: Date; seenAt: Date }[]> {
  return db
    .select({ contactId: journeySegmentMembers.contactId, enteredAt: journeySegmentMembers.enteredAt, seenAt: journeySegmentMembers.seenAt })
    .from(journeySegmentMembers)
    .where(and(eq(journeySegmentMembers.journeyId, params.journeyId), eq(journeySegmentMembers.version, params.version)))
    .orderBy(asc(journeySegmentMembers.contactId));
}

/** How many members a journey version last saw (the journey page shows it). */
export async function countSegmentMembers(db: Db, params: { journeyId: string; version: number }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(journeySegmentMembers)
    .where(and(eq(journeySegmentMembers.journeyId, params.journeyId), eq(journeySegmentMembers.version, params.version)));
  return row?.n ?? 0;
}
