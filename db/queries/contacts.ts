import { and, desc, eq, gt, gte, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { auditLog, contacts, listMembers } from "@/db/schema";
import { CONTACT_TEXT_FIELD_KEYS } from "@/core/contacts/contact-fields";
import type { Position } from "@/core/pagination/cursor";
import { birthdayColumns, birthdaysCelebratedOn } from "@/core/contacts/birthday-columns";
import type { AttributeChanges, ContactChanges } from "@/core/contacts/contact-input";
import { before } from "./keyset";
import { uniqueViolation } from "./unique-violation";
import { visibleContact } from "./visible-contacts";

export type Contact = typeof contacts.$inferSelect;

/**
 * One contact of the workspace. A contact pending erasure is not found, as everywhere else
 * (visible-contacts.ts); only the erasure itself reads it, with `includeHidden`.
 */
export async function getContact(db: Db, params: { workspaceId: string; contactId: string; includeHidden?: boolean }): Promise<Contact | undefined> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId), params.includeHidden ? undefined : visibleContact));
  return row;
}

/** Whether the contact is pending erasure (hidden from every send); false when there is no such contact. */
export async function isContactHidden(db: Db, params: { workspaceId: string; contactId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId), isNotNull(contacts.erasureRequestedAt)));
  return Boolean(row);
}

export type ContactConflict = { ok: false; conflict: "email" | "phone"; contactId: string | undefined };
export type ContactWrite = { ok: true; contact: Contact; created: boolean } | ContactConflict;

const CONFLICT_OF_CONSTRAINT: Record<string, "email" | "phone"> = {
  contacts_workspace_email_key: "email",
  contacts_workspace_phone_key: "phone",
};

/** Which field a failed write collided on, and the contact that already holds the value. */
async function conflictOf(db: Db, error: unknown, workspaceId: string, changes: ContactChanges): Promise<ContactConflict | undefined> {
  const constraint = uniqueViolation(error);
  const conflict = constraint === undefined ? undefined : CONFLICT_OF_CONSTRAINT[constraint];
  if (!conflict) return undefined;
  const value = conflict === "email" ? changes.email : changes.phone;
  const [holder] = value
    ? await db
        .select({ id: contacts.id })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), conflict === "email" ? sql`lower(${contacts.email}) = ${value}` : eq(contacts.phone, value)))
    : [];
  return { ok: false, conflict, contactId: holder?.id };
}

/** `attributes - removed || set`: a merge that never replaces the whole object. */
function mergedAttributes(current: SQL, changes: AttributeChanges): SQL {
  const removed = changes.remove.reduce((json, key) => sql`(${json} - ${key}::text)`, current);
  return sql`(${removed} || ${JSON.stringify(changes.set)}::jsonb)`;
}

const SCALAR_COLUMNS = {
  email: contacts.email,
  phone: contacts.phone,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  locale: contacts.locale,
  timezone: contacts.timezone,
  birthday: contacts.birthday,
  birthdayMonth: contacts.birthdayMonth,
  birthdayDay: contacts.birthdayDay,
} as const;
type ScalarColumn = keyof typeof SCALAR_COLUMNS;

/** The columns a change writes: a birthday ("1990-11-23" or "--11-23") is three columns, always written together. */
function scalarChanges(changes: ContactChanges): [ScalarColumn, string | number | null][] {
  const written: [ScalarColumn, string | number | null][] = [];
  for (const key of CONTACT_TEXT_FIELD_KEYS) {
    if (changes[key] !== undefined) written.push([key, changes[key] ?? null]);
  }
  if (changes.birthday !== undefined) {
    const columns = birthdayColumns(changes.birthday);
    written.push(["birthday", columns.birthday], ["birthdayMonth", columns.birthdayMonth], ["birthdayDay", columns.birthdayDay]);
  }
  return written;
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Inserts a contact or updates the one with the same email (case-insensitively). Only the
 * fields given are written; status and unsubscribed_at are never in the statement, so an
 * upsert cannot resubscribe anyone. Raw SQL because the arbiter is the lower(email)
 * expression index, which Drizzle's conflict target cannot name.
 */
export async function upsertContactByEmail(
  db: Db,
  params: { workspaceId: string; changes: ContactChanges & { email: string } },
): Promise<ContactWrite> {
  const { workspaceId, changes } = params;
  const scalars = scalarChanges(changes);
  const attributes = changes.attributes ?? { set: {}, remove: [] };
  const columns = [contacts.workspaceId, ...scalars.map(([key]) => SCALAR_COLUMNS[key]), contacts.attributes];
  const values = [sql`${workspaceId}`, ...scalars.map(([, value]) => sql`${value}`), sql`${JSON.stringify(attributes.set)}::jsonb`];
  const updates = [
    ...scalars.map(([key]) => sql`${sql.identifier(SCALAR_COLUMNS[key].name)} = excluded.${sql.identifier(SCALAR_COLUMNS[key].name)}`),
    sql`${sql.identifier(contacts.attributes.name)} = ${mergedAttributes(sql`${contacts.attributes}`, attributes)}`,
    sql`${sql.identifier(contacts.updatedAt.name)} = now()`,
  ];
  try {
    const result = await db.execute(sql`
      insert into ${contacts} (${sql.join(columns.map((column) => sql.identifier(column.name)), sql`, `)})
      values (${sql.join(values, sql`, `)})
      on conflict (${sql.identifier(contacts.workspaceId.name)}, lower(${sql.identifier(contacts.email.name)}))
      do update set ${sql.join(updates, sql`, `)}
      where ${contacts}.erasure_requested_at is null
      returning ${contacts.id} as id, (xmax = 0) as created`);
    const [row] = rowsOf<{ id: string; created: boolean }>(result);
    // The address belongs to a contact pending erasure: never written to, never un-hidden.
    if (!row) return { ok: false, conflict: "email", contactId: undefined };
    const contact = await getContact(db, { workspaceId, contactId: row!.id });
    return { ok: true, contact: contact!, created: row!.created };
  } catch (error) {
    const conflict = await conflictOf(db, error, workspaceId, changes);
    if (conflict) return conflict;
    throw error;
  }
}

/** Writes the given fields of one contact; undefined when the workspace has no such contact. */
export async function updateContact(
  db: Db,
  params: { workspaceId: string; contactId: string; changes: ContactChanges },
): Promise<ContactWrite | undefined> {
  const { workspaceId, contactId, changes } = params;
  const set: Record<string, unknown> = Object.fromEntries(scalarChanges(changes));
  if (changes.attributes) set.attributes = mergedAttributes(sql`${contacts.attributes}`, changes.attributes);
  try {
    const [row] = await db
      .update(contacts)
      .set({ ...set, updatedAt: sql`now()` })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId), visibleContact))
      .returning();
    return row ? { ok: true, contact: row, created: false } : undefined;
  } catch (error) {
    const conflict = await conflictOf(db, error, workspaceId, changes);
    if (conflict) return conflict;
    throw error;
  }
}

export async function deleteContact(db: Db, params: { workspaceId: string; contactId: string }): Promise<boolean> {
  const rows = await db
    .delete(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId)))
    .returning({ id: contacts.id });
  return rows.length > 0;
}

/** Newest first, keyset-paginated on (created_at, id). `email` is matched already normalised. */
export async function listContacts(
  db: Db,
  params: {
    workspaceId: string;
    email?: string;
    status?: Contact["status"];
    listId?: string;
    updatedSince?: Date;
    limit: number;
    after?: Position;
  },
): Promise<Contact[]> {
  return db
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, params.workspaceId),
        visibleContact,
        params.email !== undefined ? sql`lower(${contacts.email}) = ${params.email}` : undefined,
        params.status ? eq(contacts.status, params.status) : undefined,
        params.updatedSince ? gte(contacts.updatedAt, params.updatedSince) : undefined,
        params.listId
          ? sql`exists (select 1 from ${listMembers} where ${listMembers.listId} = ${params.listId} and ${listMembers.contactId} = ${contacts.id} and ${listMembers.workspaceId} = ${params.workspaceId})`
          : undefined,
        before(contacts.createdAt, contacts.id, params.after),
      ),
    )
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(params.limit);
}

/**
 * Ids of the contacts whose birthday is celebrated on a calendar day, with or without a known
 * year (29 February birthdays on 28 February of a non-leap year), in id order after `afterId`:
 * probes of contacts_workspace_birthday_idx, never a scan of the workspace.
 */
export async function listContactIdsWithBirthdayOn(
  db: Db,
  params: { workspaceId: string; on: { year: number; month: number; day: number }; limit: number; afterId?: string },
): Promise<string[]> {
  const days = birthdaysCelebratedOn(params.on).map(({ month, day }) => and(eq(contacts.birthdayMonth, month), eq(contacts.birthdayDay, day)));
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), visibleContact, or(...days), params.afterId ? gt(contacts.id, params.afterId) : undefined))
    .orderBy(contacts.id)
    .limit(params.limit);
  return rows.map((row) => row.id);
}

export type UnsubscribedContact = { id: string; workspaceId: string; unsubscribedAt: Date };

/**
 * Unsubscribes the still-subscribed contacts that match any of the given id, email (compared
 * lower-cased) or phone, in the given workspaces. Already-unsubscribed contacts keep their
 * original unsubscribed_at, so a repeated complaint or STOP changes nothing.
 */
export async function unsubscribeContacts(
  db: Db,
  params: { workspaceIds: string[]; contactId?: string | null; email?: string | null; phone?: string | null; at: Date },
): Promise<UnsubscribedContact[]> {
  const matches = [
    params.contactId ? eq(contacts.id, params.contactId) : undefined,
    params.email ? sql`lower(${contacts.email}) = ${params.email.toLowerCase()}` : undefined,
    params.phone ? eq(contacts.phone, params.phone) : undefined,
  ].filter((match) => match !== undefined);
  if (params.workspaceIds.length === 0 || matches.length === 0) return [];
  const rows = await db
    .update(contacts)
    .set({ status: "unsubscribed", unsubscribedAt: params.at, updatedAt: params.at })
    .where(and(inArray(contacts.workspaceId, params.workspaceIds), eq(contacts.status, "subscribed"), or(...matches)))
    .returning({ id: contacts.id, workspaceId: contacts.workspaceId, unsubscribedAt: contacts.unsubscribedAt });
  return rows.map((row) => ({ ...row, unsubscribedAt: row.unsubscribedAt! }));
}

/**
 * Re-subscribes contacts with this phone whose current unsubscribe is one that `source` made:
 * the audit entry written with that unsubscribe records its timestamp, and only a contact whose
 * unsubscribed_at still equals it qualifies. Someone who unsubscribed by link or by the API
 * (before or after the keyword) stays unsubscribed.
 */
export async function resubscribeContactsUnsubscribedBy(
  db: Db,
  params: { workspaceIds: string[]; phone: string; source: string },
): Promise<{ id: string; workspaceId: string }[]> {
  if (params.workspaceIds.length === 0) return [];
  return db
    .update(contacts)
    .set({ status: "subscribed", unsubscribedAt: null, updatedAt: sql`now()` })
    .where(
      and(
        inArray(contacts.workspaceId, params.workspaceIds),
        eq(contacts.phone, params.phone),
        eq(contacts.status, "unsubscribed"),
        sql`exists (select 1 from ${auditLog}
          where ${auditLog.workspaceId} = ${contacts.workspaceId}
            and ${auditLog.action} = 'contact.unsubscribed'
            and ${auditLog.targetType} = 'contact'
            and ${auditLog.targetId} = ${contacts.id}::text
            and ${auditLog.details}->>'source' = ${params.source}
            and (${auditLog.details}->>'unsubscribedAt')::timestamptz = ${contacts.unsubscribedAt})`,
      ),
    )
    .returning({ id: contacts.id, workspaceId: contacts.workspaceId });
}

/**
 * Unsubscribes a contact unless it already is: one conditional UPDATE, so a repeat (or a
 * concurrent second click) changes nothing and keeps the first unsubscribed_at. Returns the
 * contact when this call changed it.
 */
export async function unsubscribeContact(
  db: Db,
  params: { workspaceId: string; contactId: string; at?: Date },
): Promise<Contact | undefined> {
  const at = params.at ?? new Date();
  const [row] = await db
    .update(contacts)
    .set({ status: "unsubscribed", unsubscribedAt: at, updatedAt: at })
    .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId), eq(contacts.status, "subscribed")))
    .returning();
  return row;
}
