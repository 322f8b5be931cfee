import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { listMembers, lists } from "@/db/schema";

export type ContactListMembership = { id: string; name: string; addedAt: Date };

/** The lists a contact belongs to, by name. Both sides are filtered by workspace (invariant 5). */
export async function listContactMemberships(db: Db, params: { workspaceId: string; contactId: string }): Promise<ContactListMembership[]> {
  return db
    .select({ id: lists.id, name: lists.name, addedAt: listMembers.createdAt })
    .from(listMembers)
    .innerJoin(lists, and(eq(lists.id, listMembers.listId), eq(lists.workspaceId, listMembers.workspaceId)))
    .where(and(eq(listMembers.workspaceId, params.workspaceId), eq(listMembers.contactId, params.contactId)))
    .orderBy(asc(lists.name), asc(lists.id));
}
