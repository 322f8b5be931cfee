import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { listMembers, lists } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";
import type { List } from "./lists";

export type ListWithCount = List & { memberCount: number };

/**
 * Newest first, keyset-paginated on (created_at, id), each with its member count. The count is
 * a correlated subquery per list on the page (list_members' primary key starts with list_id),
 * so a page costs `limit` index range scans, never a scan of every membership.
 */
export async function listListsWithCounts(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<ListWithCount[]> {
  return db
    .select({
      id: lists.id,
      workspaceId: lists.workspaceId,
      name: lists.name,
      description: lists.description,
      createdAt: lists.createdAt,
      updatedAt: lists.updatedAt,
      memberCount: sql<number>`(select count(*) from ${listMembers} where ${listMembers.listId} = ${lists.id} and ${listMembers.workspaceId} = ${lists.workspaceId})`.mapWith(
        Number,
      ),
    })
    .from(lists)
    .where(and(eq(lists.workspaceId, params.workspaceId), before(lists.createdAt, lists.id, params.after)))
    .orderBy(desc(lists.createdAt), desc(lists.id))
    .limit(params.limit);
}

export type ListOption = { id: string; name: string };

/** Lists by name for a filter or upload select; capped, since a select of thousands helps no one. */
export async function listListOptions(db: Db, params: { workspaceId: string; limit: number }): Promise<ListOption[]> {
  return db
    .select({ id: lists.id, name: lists.name })
    .from(lists)
    .where(eq(lists.workspaceId, params.workspaceId))
    .orderBy(asc(lists.name), asc(lists.id))
    .limit(params.limit);
}
