import { and, asc, count, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts, segments } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { compileSegmentFilter } from "@/db/queries/compile-segment-filter";
import { readStoredSegmentFilter, type SegmentFilter } from "@/core/segments/segment-filter";
import { before } from "./keyset";
import { uniqueViolation } from "./unique-violation";

export type Segment = typeof segments.$inferSelect;

/** Undefined when the workspace already has a segment of that name. */
export async function insertSegment(
  db: Db,
  params: { workspaceId: string; name: string; filter: SegmentFilter },
): Promise<Segment | undefined> {
  const [row] = await db.insert(segments).values(params).onConflictDoNothing().returning();
  return row;
}

export async function getSegment(db: Db, params: { workspaceId: string; segmentId: string }): Promise<Segment | undefined> {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.workspaceId, params.workspaceId), eq(segments.id, params.segmentId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listSegments(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<Segment[]> {
  return db
    .select()
    .from(segments)
    .where(and(eq(segments.workspaceId, params.workspaceId), before(segments.createdAt, segments.id, params.after)))
    .orderBy(desc(segments.createdAt), desc(segments.id))
    .limit(params.limit);
}

/** Undefined when there is no such segment; "conflict" when the new name is taken. */
export async function updateSegment(
  db: Db,
  params: { workspaceId: string; segmentId: string; name?: string; filter?: SegmentFilter },
): Promise<Segment | "conflict" | undefined> {
  const { workspaceId, segmentId, ...changes } = params;
  try {
    const [row] = await db
      .update(segments)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(and(eq(segments.workspaceId, workspaceId), eq(segments.id, segmentId)))
      .returning();
    return row;
  } catch (error) {
    if (uniqueViolation(error) === "segments_workspace_name_key") return "conflict";
    throw error;
  }
}

export async function deleteSegment(db: Db, params: { workspaceId: string; segmentId: string }): Promise<boolean> {
  const rows = await db
    .delete(segments)
    .where(and(eq(segments.workspaceId, params.workspaceId), eq(segments.id, params.segmentId)))
    .returning({ id: segments.id });
  return rows.length > 0;
}

/** How many of the workspace's contacts a filter matches right now. */
export async function countContactsMatching(db: Db, params: { workspaceId: string; filter: SegmentFilter }): Promise<number> {
  const [row] = await db.select({ count: count() }).from(contacts).where(compileSegmentFilter(params.filter, params.workspaceId));
  return row?.count ?? 0;
}

/** The size of a saved segment; undefined when the workspace has no such segment, `{ invalid }` when its stored filter cannot be used. */
export async function countSegmentContacts(
  db: Db,
  params: { workspaceId: string; segmentId: string },
): Promise<number | { invalid: string } | undefined> {
  const segment = await getSegment(db, params);
  if (!segment) return undefined;
  const stored = readStoredSegmentFilter(segment.filter);
  if (!stored.ok) return { invalid: stored.message };
  return countContactsMatching(db, { workspaceId: params.workspaceId, filter: stored.filter });
}

/**
 * One page of matching contact ids in id order, after `afterId`: the cursor a campaign
 * persists between chunks, so each page is a fresh index range scan rather than an OFFSET.
 */
export async function selectSegmentContactIds(
  db: Db,
  params: { workspaceId: string; filter: SegmentFilter; afterId?: string | null; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(compileSegmentFilter(params.filter, params.workspaceId), params.afterId ? gt(contacts.id, params.afterId) : undefined))
    .orderBy(asc(contacts.id))
    .limit(params.limit);
  return rows.map((row) => row.id);
}
