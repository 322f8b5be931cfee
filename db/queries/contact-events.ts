import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contactEvents, contacts } from "@/db/schema";
import { visibleContact } from "./visible-contacts";

export type ContactEvent = typeof contactEvents.$inferSelect;
export type NewContactEvent = Omit<typeof contactEvents.$inferInsert, "id">;

/**
 * The contact an event is about, by id or by email (stored lower-cased), in this workspace and
 * not pending erasure: another workspace's contact and a hidden one are both simply not found.
 */
export async function findEventContact(db: Db, params: { workspaceId: string; contactId?: string; email?: string }): Promise<string | undefined> {
  const match = params.contactId ? eq(contacts.id, params.contactId) : params.email ? sql`lower(${contacts.email}) = ${params.email.toLowerCase()}` : undefined;
  if (!match) return undefined;
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), match, visibleContact))
    .limit(1);
  return row?.id;
}

/**
 * Records an event once per (workspace, caller's event id): the unique index decides, so two
 * concurrent requests with the same id store one row, and a repeat answers with the first
 * record whatever its body says.
 */
export async function recordContactEvent(db: Db, event: NewContactEvent): Promise<{ event: ContactEvent; created: boolean }> {
  const [created] = await db
    .insert(contactEvents)
    .values(event)
    .onConflictDoNothing({ target: [contactEvents.workspaceId, contactEvents.eventId] })
    .returning();
  if (created) return { event: created, created: true };
  const [existing] = await db
    .select()
    .from(contactEvents)
    .where(and(eq(contactEvents.workspaceId, event.workspaceId), eq(contactEvents.eventId, event.eventId)));
  if (!existing) throw new Error("contact event vanished between insert and read");
  return { event: existing, created: false };
}

/** One recorded event by its row id (what the `contact/event.received` event carries), in this workspace. */
export async function getContactEvent(db: Db, params: { workspaceId: string; id: number }): Promise<ContactEvent | undefined> {
  const [row] = await db
    .select()
    .from(contactEvents)
    .where(and(eq(contactEvents.workspaceId, params.workspaceId), eq(contactEvents.id, params.id)));
  return row;
}

/**
 * Events newest first (in the order they were received: the serial id), optionally of one
 * contact and/or one name, keyset-paged by that id. Events of a contact pending erasure are not
 * listed, like the contact itself.
 */
export async function listContactEvents(
  db: Db,
  params: { workspaceId: string; contactId?: string; name?: string; limit: number; beforeSeq?: number },
): Promise<(ContactEvent & { contactEmail: string | null })[]> {
  const rows = await db
    .select({ event: contactEvents, contactEmail: contacts.email })
    .from(contactEvents)
    .innerJoin(contacts, eq(contacts.id, contactEvents.contactId))
    .where(
      and(
        eq(contactEvents.workspaceId, params.workspaceId),
        params.contactId ? eq(contactEvents.contactId, params.contactId) : undefined,
        params.name ? eq(contactEvents.name, params.name) : undefined,
        params.beforeSeq ? lt(contactEvents.id, params.beforeSeq) : undefined,
        visibleContact,
      ),
    )
    .orderBy(desc(contactEvents.id))
    .limit(params.limit);
  return rows.map((row) => ({ ...row.event, contactEmail: row.contactEmail }));
}
