import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts, contactSources } from "@/db/schema";
import type { MailboxContactField } from "@/core/mailbox/extract-people";
import { storableJson } from "@/core/text/storable-text";
import { rowsOf } from "./rows-of";

export type ContactSource = typeof contactSources.$inferSelect;

/** A value read from a mailbox, ready to be merged: where it came from and when it was seen. */
export type SourcedValue = { value: string; source: "header" | "signature"; mailboxMessageId: string | null; seenAt: string };
export type MergePerson = {
  email: string;
  firstSeenAt: string;
  lastSeenAt: string;
  values: Partial<Record<MailboxContactField, SourcedValue>>;
};

type SourceRow = { contact_id: string; field: MailboxContactField; value: string; source: string; mailbox_message_id: string | null; first_seen_at: string; last_seen_at: string };

/**
 * Merges people read from a mailbox into the workspace's contacts, set-based, inside the
 * caller's transaction. A new address becomes a contact with what the mail says; an existing
 * contact only gets fields that are empty (names, phone, attributes.title and .company) — a
 * value anyone entered is never overwritten. Each value the mailbox filled gets a
 * contact_sources row; values seen again move that row's last_seen_at.
 *
 * Hidden contacts (erasure requested) are left alone and their addresses never re-created
 * (the unique index on lower(email) still holds the hidden row); addresses in `blocked` (erased
 * for good, found in suppressions by the caller) are skipped before anything is written. A phone
 * another contact already holds is not filled in (it is unique per workspace).
 */
export async function mergeMailboxPeople(
  db: Db,
  params: { workspaceId: string; connectionId: string; people: readonly MergePerson[]; blocked: ReadonlySet<string> },
): Promise<{ createdIds: string[]; updated: number }> {
  const people = params.people.filter((person) => !params.blocked.has(person.email));
  if (people.length === 0) return { createdIds: [], updated: 0 };
  const emails = people.map((person) => person.email);
  // Locked: the fill decisions below are exact until commit, whatever a user saves meanwhile.
  const existing = await db
    .select({
      id: contacts.id,
      email: sql<string>`lower(${contacts.email})`,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      phone: contacts.phone,
      attributes: contacts.attributes,
      hidden: sql<boolean>`${contacts.erasureRequestedAt} is not null`,
    })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(sql`lower(${contacts.email})`, emails)))
    .for("update");
  const byEmail = new Map(existing.map((row) => [row.email, row]));
  const phones = [...new Set(people.flatMap((person) => (person.values.phone ? [person.values.phone.value] : [])))];
  const takenPhones = new Set(
    phones.length === 0
      ? []
      : (
          await db
            .select({ phone: contacts.phone })
            .from(contacts)
            .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(contacts.phone, phones)))
        ).map((row) => row.phone),
  );
  const takePhone = (phone: string | undefined) => {
    if (!phone || takenPhones.has(phone)) return null;
    takenPhones.add(phone);
    return phone;
  };

  const sources: SourceRow[] = [];
  const touched: SourceRow[] = [];
  const source = (contactId: string, field: MailboxContactField, value: SourcedValue, person: MergePerson): SourceRow => ({
    contact_id: contactId,
    field,
    value: value.value,
    source: value.source,
    mailbox_message_id: value.mailboxMessageId,
    first_seen_at: person.firstSeenAt,
    last_seen_at: person.lastSeenAt,
  });

  const fresh = people.filter((person) => !byEmail.has(person.email));
  let createdIds: string[] = [];
  if (fresh.length > 0) {
    const wanted = fresh.map((person) => ({
      person,
      phone: takePhone(person.values.phone?.value),
    }));
    const inserted = await db
      .insert(contacts)
      .values(
        wanted.map(({ person, phone }) => ({
          workspaceId: params.workspaceId,
          email: person.email,
          firstName: person.values.firstName?.value ?? null,
          lastName: person.values.lastName?.value ?? null,
          phone,
          attributes: {
            ...(person.values.title ? { title: person.values.title.value } : {}),
            ...(person.values.company ? { company: person.values.company.value } : {}),
          },
        })),
      )
      // Another writer inserting the same address meanwhile wins; this page leaves it alone.
      .onConflictDoNothing()
      .returning({ id: contacts.id, email: contacts.email });
    createdIds = inserted.map((row) => row.id);
    const idOf = new Map(inserted.map((row) => [row.email!.toLowerCase(), row.id]));
    for (const { person, phone } of wanted) {
      const id = idOf.get(person.email);
      if (!id) continue;
      for (const [field, value] of Object.entries(person.values) as [MailboxContactField, SourcedValue][]) {
        if (field === "phone" && value.value !== phone) continue;
        sources.push(source(id, field, value, person));
      }
    }
  }

  const fills: { id: string; first_name: string | null; last_name: string | null; phone: string | null; attributes: Record<string, string> }[] = [];
  for (const person of people) {
    const row = byEmail.get(person.email);
    if (!row || row.hidden) continue;
    const empty = (value: string | null) => value === null || value.trim() === "";
    const attributeEmpty = (key: string) => {
      const value = row.attributes[key];
      return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
    };
    const fill = { id: row.id, first_name: null as string | null, last_name: null as string | null, phone: null as string | null, attributes: {} as Record<string, string> };
    const filled: MailboxContactField[] = [];
    const { firstName, lastName, phone, title, company } = person.values;
    if (firstName && empty(row.firstName)) {
      fill.first_name = firstName.value;
      filled.push("firstName");
    }
    if (lastName && empty(row.lastName)) {
      fill.last_name = lastName.value;
      filled.push("lastName");
    }
    if (phone && empty(row.phone) && takePhone(phone.value)) {
      fill.phone = phone.value;
      filled.push("phone");
    }
    if (title && attributeEmpty("title")) {
      fill.attributes.title = title.value;
      filled.push("title");
    }
    if (company && attributeEmpty("company")) {
      fill.attributes.company = company.value;
      filled.push("company");
    }
    for (const [field, value] of Object.entries(person.values) as [MailboxContactField, SourcedValue][]) {
      (filled.includes(field) ? sources : touched).push(source(row.id, field, value, person));
    }
    if (filled.length > 0) fills.push(fill);
  }
  if (fills.length > 0) {
    await db.execute(sql`
      update contacts c set
        first_name = coalesce(nullif(btrim(c.first_name), ''), i.first_name),
        last_name = coalesce(nullif(btrim(c.last_name), ''), i.last_name),
        phone = coalesce(c.phone, i.phone),
        attributes = i.attributes || c.attributes,
        updated_at = now()
      from jsonb_to_recordset(${storableJson(fills)}::jsonb) as i(id uuid, first_name text, last_name text, phone text, attributes jsonb)
      where c.id = i.id and c.workspace_id = ${params.workspaceId}`);
  }
  await recordSources(db, params, sources, touched);
  return { createdIds, updated: fills.length };
}

/** New provenance rows (or an earlier first / later last sighting of one), and last sightings of values already sourced. */
async function recordSources(db: Db, params: { workspaceId: string; connectionId: string }, sources: SourceRow[], touched: SourceRow[]) {
  if (sources.length > 0) {
    await db.execute(sql`
      insert into contact_sources as s (workspace_id, contact_id, field, value, source, connection_id, mailbox_message_id, first_seen_at, last_seen_at)
      select ${params.workspaceId}::uuid, i.contact_id, i.field, i.value, i.source::contact_source_kind, ${params.connectionId}::uuid, i.mailbox_message_id,
        i.first_seen_at, i.last_seen_at
      from jsonb_to_recordset(${storableJson(sources)}::jsonb)
        as i(contact_id uuid, field text, value text, source text, mailbox_message_id uuid, first_seen_at timestamptz, last_seen_at timestamptz)
      on conflict (contact_id, field, value) do update set
        first_seen_at = least(s.first_seen_at, excluded.first_seen_at),
        last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at)`);
  }
  if (touched.length > 0) {
    await db.execute(sql`
      update contact_sources s set last_seen_at = greatest(s.last_seen_at, i.last_seen_at)
      from jsonb_to_recordset(${storableJson(touched)}::jsonb) as i(contact_id uuid, field text, value text, last_seen_at timestamptz)
      where s.contact_id = i.contact_id and s.field = i.field and s.value = i.value and s.workspace_id = ${params.workspaceId}`);
  }
}

export async function listContactSources(db: Db, params: { workspaceId: string; contactIds: readonly string[] }): Promise<ContactSource[]> {
  if (params.contactIds.length === 0) return [];
  return db
    .select()
    .from(contactSources)
    .where(and(eq(contactSources.workspaceId, params.workspaceId), inArray(contactSources.contactId, [...params.contactIds])))
    .orderBy(asc(contactSources.contactId), asc(contactSources.field), asc(contactSources.firstSeenAt));
}

/** The contacts a connection's mail filled in, newest first: what the mailbox page lists. */
export async function listMailboxContacts(
  db: Db,
  params: { workspaceId: string; connectionId?: string; limit: number },
): Promise<{ contactId: string; email: string | null; firstName: string | null; lastName: string | null; phone: string | null; attributes: Record<string, unknown> }[]> {
  const result = await db.execute(sql`
    select c.id as "contactId", c.email, c.first_name as "firstName", c.last_name as "lastName", c.phone, c.attributes
    from contacts c
    where c.workspace_id = ${params.workspaceId} and c.erasure_requested_at is null
      and exists (select 1 from contact_sources s where s.contact_id = c.id and s.workspace_id = ${params.workspaceId}
        ${params.connectionId ? sql`and s.connection_id = ${params.connectionId}` : sql``})
    order by c.created_at desc, c.id desc
    limit ${params.limit}`);
  return rowsOf(result);
}
