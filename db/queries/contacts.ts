import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts } from "@/db/schema";

export type Contact = typeof contacts.$inferSelect;

export async function getContact(db: Db, params: { workspaceId: string; contactId: string }): Promise<Contact | undefined> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId)));
  return row;
}
