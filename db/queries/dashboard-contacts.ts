import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { listMembers, lists, messages } from "@/db/schema";
import type { Message } from "./messages";

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

/** The newest messages to one contact; served by messages_workspace_contact_idx. */
export async function listContactMessages(db: Db, params: { workspaceId: string; contactId: string; limit: number }): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.workspaceId, params.workspaceId), eq(messages.contactId, params.contactId)))
    .orderBy(desc(messages.queuedAt), desc(messages.id))
    .limit(params.limit);
}
