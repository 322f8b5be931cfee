import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts, listMembers, lists } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import type { Contact } from "./contacts";
import { before } from "./keyset";
import { uniqueViolation } from "./unique-violation";
import { visibleContact } from "./visible-contacts";

/** Memberships of contacts not pending erasure: a hidden contact is in no list's count or page. */
const visibleMember = sql`exists (select 1 from ${contacts} where ${contacts.id} = ${listMembers.contactId} and ${contacts.erasureRequestedAt} is null)`;

export type List = typeof lists.$inferSelect;

/** Undefined when the workspace already has a list of that name. */
export async function insertList(db: Db, params: { workspaceId: string; name: string; description: string | null }): Promise<List | undefined> {
  const [row] = await db.insert(lists).values(params).onConflictDoNothing().returning();
  return row;
}

export async function getList(db: Db, params: { workspaceId: string; listId: string }): Promise<List | undefined> {
  const [row] = await db
    .select()
    .from(lists)
    .where(and(eq(lists.workspaceId, params.workspaceId), eq(lists.id, params.listId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listLists(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<List[]> {
  return db
    .select()
    .from(lists)
    .where(and(eq(lists.workspaceId, params.workspaceId), before(lists.createdAt, lists.id, params.after)))
    .orderBy(desc(lists.createdAt), desc(lists.id))
    .limit(params.limit);
}

/** The ids among `listIds` that are this workspace's lists. */
export async function existingListIds(db: Db, params: { workspaceId: string; listIds: string[] }): Promise<Set<string>> {
  if (params.listIds.length === 0) return new Set();
  const rows = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.workspaceId, params.workspaceId), inArray(lists.id, params.listIds)));
  return new Set(rows.map((row) => row.id));
}

/** Undefined when there is no such list; "conflict" when the new name is taken. */
export async function updateList(
  db: Db,
  params: { workspaceId: string; listId: string; name?: string; description?: string | null },
): Promise<List | "conflict" | undefined> {
  const { workspaceId, listId, ...changes } = params;
  try {
    const [row] = await db
      .update(lists)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(and(eq(lists.workspaceId, workspaceId), eq(lists.id, listId)))
      .returning();
    return row;
  } catch (error) {
    if (uniqueViolation(error) === "lists_workspace_name_key") return "conflict";
    throw error;
  }
}

export async function deleteList(db: Db, params: { workspaceId: string; listId: string }): Promise<boolean> {
  const rows = await db
    .delete(lists)
    .where(and(eq(lists.workspaceId, params.workspaceId), eq(lists.id, params.listId)))
    .returning({ id: lists.id });
  return rows.length > 0;
}

export async function countListMembers(db: Db, params: { workspaceId: string; listId: string }): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(listMembers)
    .where(and(eq(listMembers.workspaceId, params.workspaceId), eq(listMembers.listId, params.listId), visibleMember));
  return row?.count ?? 0;
}

export type MembershipChange = { changed: string[]; unchanged: string[]; unknown: string[] };

/** Splits requested ids into this workspace's contacts and the rest (missing or someone else's: indistinguishable on purpose). */
async function knownContactIds(db: Db, workspaceId: string, contactIds: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, contactIds), visibleContact));
  return new Set(rows.map((row) => row.id));
}

/**
 * Adds contacts to a list. Idempotent: members already there are reported as unchanged. The
 * insert selects from `contacts` by workspace, so another workspace's contact id adds nothing.
 */
export async function addListMembers(
  db: Db,
  params: { workspaceId: string; listId: string; contactIds: string[] },
): Promise<MembershipChange> {
  const { workspaceId, listId, contactIds } = params;
  const known = await knownContactIds(db, workspaceId, contactIds);
  const inserted = await db
    .insert(listMembers)
    .select(
      db
        .select({ listId: sql`${listId}::uuid`.as("list_id"), contactId: contacts.id, workspaceId: contacts.workspaceId, createdAt: sql`now()`.as("created_at") })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.id, contactIds), visibleContact)),
    )
    .onConflictDoNothing()
    .returning({ contactId: listMembers.contactId });
  const added = new Set(inserted.map((row) => row.contactId));
  return {
    changed: [...added],
    unchanged: [...known].filter((id) => !added.has(id)),
    unknown: contactIds.filter((id) => !known.has(id)),
  };
}

export async function removeListMembers(
  db: Db,
  params: { workspaceId: string; listId: string; contactIds: string[] },
): Promise<MembershipChange> {
  const { workspaceId, listId, contactIds } = params;
  const known = await knownContactIds(db, workspaceId, contactIds);
  // Only visible contacts: a hidden one's memberships stay as they were, for a restore.
  const deleted =
    known.size === 0
      ? []
      : await db
          .delete(listMembers)
          .where(and(eq(listMembers.workspaceId, workspaceId), eq(listMembers.listId, listId), inArray(listMembers.contactId, [...known])))
          .returning({ contactId: listMembers.contactId });
  const removed = new Set(deleted.map((row) => row.contactId));
  return {
    changed: [...removed],
    unchanged: [...known].filter((id) => !removed.has(id)),
    unknown: contactIds.filter((id) => !known.has(id)),
  };
}

export type ListMember = { contact: Contact; addedAt: Date };

/** Newest members first, keyset-paginated on (added at, contact id). */
export async function listListMembers(
  db: Db,
  params: { workspaceId: string; listId: string; limit: number; after?: Position },
): Promise<ListMember[]> {
  const rows = await db
    .select({ contact: contacts, addedAt: listMembers.createdAt })
    .from(listMembers)
    .innerJoin(contacts, eq(contacts.id, listMembers.contactId))
    .where(
      and(
        eq(listMembers.workspaceId, params.workspaceId),
        eq(listMembers.listId, params.listId),
        visibleContact,
        before(listMembers.createdAt, listMembers.contactId, params.after),
      ),
    )
    .orderBy(desc(listMembers.createdAt), desc(listMembers.contactId))
    .limit(params.limit);
  return rows;
}

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
      memberCount: sql<number>`(select count(*) from ${listMembers} where ${listMembers.listId} = ${lists.id} and ${listMembers.workspaceId} = ${lists.workspaceId} and ${visibleMember})`.mapWith(
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
