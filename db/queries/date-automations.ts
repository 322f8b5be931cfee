import { and, asc, desc, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import type { DateField, LocalDate, MonthDay } from "@/core/automations/date-schedule";
import { monthDaysObservedOn } from "@/core/automations/date-schedule";
import type { Position } from "@/core/pagination/cursor";
import { contacts, dateAutomations, dateAutomationSends } from "@/db/schema";
import { before } from "./keyset";
import { visibleContact } from "./visible-contacts";

export type DateAutomation = typeof dateAutomations.$inferSelect;
export type DateAutomationInput = Pick<DateAutomation, "name" | "dateField" | "sendHour" | "sendMinute" | "channel" | "templateId" | "category" | "fromAddress">;

export async function insertDateAutomation(db: Db, params: { workspaceId: string; now: Date } & DateAutomationInput): Promise<DateAutomation> {
  const { now, ...values } = params;
  const [row] = await db.insert(dateAutomations).values({ ...values, createdAt: now, updatedAt: now }).returning();
  return row!;
}

export async function getDateAutomation(db: Db, params: { workspaceId: string; automationId: string }): Promise<DateAutomation | undefined> {
  const [row] = await db
    .select()
    .from(dateAutomations)
    .where(and(eq(dateAutomations.workspaceId, params.workspaceId), eq(dateAutomations.id, params.automationId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listDateAutomations(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<DateAutomation[]> {
  return db
    .select()
    .from(dateAutomations)
    .where(and(eq(dateAutomations.workspaceId, params.workspaceId), before(dateAutomations.createdAt, dateAutomations.id, params.after)))
    .orderBy(desc(dateAutomations.createdAt), desc(dateAutomations.id))
    .limit(params.limit);
}

export async function updateDateAutomation(
  db: Db,
  params: { workspaceId: string; automationId: string; now: Date; changes: Partial<DateAutomationInput & Pick<DateAutomation, "status" | "statusReason">> },
): Promise<DateAutomation | undefined> {
  const [row] = await db
    .update(dateAutomations)
    .set({ ...params.changes, updatedAt: params.now })
    .where(and(eq(dateAutomations.workspaceId, params.workspaceId), eq(dateAutomations.id, params.automationId)))
    .returning();
  return row;
}

/**
 * Pauses an active automation with the reason (a person, or its template went away). Only an
 * active one: a second sender finding the same missing template changes nothing.
 */
export async function pauseDateAutomation(db: Db, params: { workspaceId: string; automationId: string; reason: string; now: Date }): Promise<boolean> {
  const rows = await db
    .update(dateAutomations)
    .set({ status: "paused", statusReason: params.reason, updatedAt: params.now })
    .where(and(eq(dateAutomations.workspaceId, params.workspaceId), eq(dateAutomations.id, params.automationId), eq(dateAutomations.status, "active")))
    .returning({ id: dateAutomations.id });
  return rows.length > 0;
}

export async function deleteDateAutomation(db: Db, params: { workspaceId: string; automationId: string }): Promise<boolean> {
  const rows = await db
    .delete(dateAutomations)
    .where(and(eq(dateAutomations.workspaceId, params.workspaceId), eq(dateAutomations.id, params.automationId)))
    .returning({ id: dateAutomations.id });
  return rows.length > 0;
}

/** Active automations of every workspace, in id order from `after`: the plan's pages. */
export async function listActiveDateAutomations(db: Db, params: { after?: string; limit: number }): Promise<DateAutomation[]> {
  return db
    .select()
    .from(dateAutomations)
    .where(and(eq(dateAutomations.status, "active"), params.after ? gt(dateAutomations.id, params.after) : undefined))
    .orderBy(asc(dateAutomations.id))
    .limit(params.limit);
}

/** The time zones stored on a workspace's visible contacts (null: contacts without one). */
export async function listContactZones(db: Db, params: { workspaceId: string }): Promise<(string | null)[]> {
  const rows = await db
    .selectDistinct({ zone: contacts.timezone })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), visibleContact));
  return rows.map((row) => row.zone);
}

/** Month and day of an ISO date (YYYY-MM-DD or --MM-DD) held in a text expression. */
const monthDayText = (value: SQL) => sql`case when ${value} ~ '^([0-9]{4}|-)-[0-9]{2}-[0-9]{2}$' then right(${value}, 5) end`;
const asText = (date: MonthDay) => `${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;

/**
 * Contacts whose date falls on `date` (29 February on 28 February in a non-leap year), from
 * the year of a full date on: a birthday with a year; a signup anniversary (its UTC day) from
 * the year after the signup; an attribute's date (YYYY-MM-DD from its year, --MM-DD every year).
 * Visible contacts only (an erasure hides them), still subscribed.
 */
export function contactsOnDate(field: DateField, date: LocalDate): SQL {
  const days = monthDaysObservedOn(date);
  if (field.kind === "birthday") {
    return or(...days.map((d) => and(eq(contacts.birthdayMonth, d.month), eq(contacts.birthdayDay, d.day))))!;
  }
  if (field.kind === "created_at") {
    const utc = sql`(${contacts.createdAt} at time zone 'UTC')`;
    return and(
      inArray(sql`to_char(${utc}, 'MM-DD')`, days.map(asText)),
      sql`extract(year from ${utc}) < ${date.year}`,
    )!;
  }
  const value = sql`(${contacts.attributes} ->> ${field.key})`;
  return and(
    inArray(monthDayText(value), days.map(asText)),
    sql`(left(${value}, 1) = '-' or left(${value}, 4)::int <= ${date.year})`,
  )!;
}

const inZones = (zones: { stored: string[]; includesNone: boolean }) =>
  or(zones.stored.length > 0 ? inArray(contacts.timezone, zones.stored) : undefined, zones.includesNone ? isNull(contacts.timezone) : undefined) ?? sql`false`;

export type DateRecipient = { id: string; timezone: string | null };

/** A page (id order, after `after`) of a workspace's subscribed, visible contacts on `date` whose stored zone is one of `zones`. */
export async function listDateRecipients(
  db: Db,
  params: { workspaceId: string; field: DateField; date: LocalDate; zones: { stored: string[]; includesNone: boolean }; after?: string; limit: number },
): Promise<DateRecipient[]> {
  return db
    .select({ id: contacts.id, timezone: contacts.timezone })
    .from(contacts)
    .where(
      and(
        eq(contacts.workspaceId, params.workspaceId),
        visibleContact,
        eq(contacts.status, "subscribed"),
        contactsOnDate(params.field, params.date),
        inZones(params.zones),
        params.after ? gt(contacts.id, params.after) : undefined,
      ),
    )
    .orderBy(asc(contacts.id))
    .limit(params.limit);
}

/**
 * Claims (automation, contact, year) for each contact: insert … on conflict do nothing, so a
 * contact is claimed once a year however often the plan runs or is replayed. Returns the claims
 * still open among them: claimed now, or claimed by an attempt that stopped before recording
 * what became of it (its message id is deterministic, so finishing it again sends nothing twice).
 */
export async function claimDateSends(
  db: Db,
  params: { automationId: string; year: number; contactIds: string[]; now: Date },
): Promise<string[]> {
  if (params.contactIds.length === 0) return [];
  await db
    .insert(dateAutomationSends)
    .values(params.contactIds.map((contactId) => ({ automationId: params.automationId, contactId, year: params.year, claimedAt: params.now })))
    .onConflictDoNothing();
  const open = await db
    .select({ contactId: dateAutomationSends.contactId })
    .from(dateAutomationSends)
    .where(
      and(
        eq(dateAutomationSends.automationId, params.automationId),
        eq(dateAutomationSends.year, params.year),
        inArray(dateAutomationSends.contactId, params.contactIds),
        isNull(dateAutomationSends.messageId),
        isNull(dateAutomationSends.skippedReason),
      ),
    );
  return open.map((row) => row.contactId);
}

/** What became of a claim: its message, or why it was skipped. */
export async function recordDateSend(
  db: Db,
  params: { automationId: string; contactId: string; year: number; messageId: string | null; skippedReason: string | null },
): Promise<void> {
  await db
    .update(dateAutomationSends)
    .set({ messageId: params.messageId, skippedReason: params.skippedReason })
    .where(
      and(
        eq(dateAutomationSends.automationId, params.automationId),
        eq(dateAutomationSends.contactId, params.contactId),
        eq(dateAutomationSends.year, params.year),
      ),
    );
}

/** Releases a claim that sent nothing because the automation was paused mid-run: the resumed automation may still send it this year. */
export async function releaseDateSend(db: Db, params: { automationId: string; contactId: string; year: number }): Promise<void> {
  await db
    .delete(dateAutomationSends)
    .where(
      and(
        eq(dateAutomationSends.automationId, params.automationId),
        eq(dateAutomationSends.contactId, params.contactId),
        eq(dateAutomationSends.year, params.year),
        isNull(dateAutomationSends.messageId),
      ),
    );
}

export type DateSend = typeof dateAutomationSends.$inferSelect;

export async function listDateSends(db: Db, params: { automationId: string }): Promise<DateSend[]> {
  return db.select().from(dateAutomationSends).where(eq(dateAutomationSends.automationId, params.automationId)).orderBy(asc(dateAutomationSends.claimedAt));
}

export type PreviewRecipient = { id: string; email: string | null; phone: string | null; firstName: string | null; lastName: string | null; timezone: string | null };

/**
 * Who an automation reaches on `date` (each in its own zone's day): subscribed visible contacts
 * on that date not yet claimed this year. The count, and the first `sample` of them in id order.
 */
export async function previewDateRecipients(
  db: Db,
  params: { workspaceId: string; automationId: string; field: DateField; date: LocalDate; sample: number },
): Promise<{ count: number; sample: PreviewRecipient[] }> {
  const where = and(
    eq(contacts.workspaceId, params.workspaceId),
    visibleContact,
    eq(contacts.status, "subscribed"),
    contactsOnDate(params.field, params.date),
    sql`not exists (select 1 from ${dateAutomationSends} s where s.automation_id = ${params.automationId} and s.contact_id = ${contacts.id} and s.year = ${params.date.year})`,
  );
  const [counted] = await db.select({ count: sql<number>`count(*)::int` }).from(contacts).where(where);
  const sample = await db
    .select({ id: contacts.id, email: contacts.email, phone: contacts.phone, firstName: contacts.firstName, lastName: contacts.lastName, timezone: contacts.timezone })
    .from(contacts)
    .where(where)
    .orderBy(asc(contacts.id))
    .limit(params.sample);
  return { count: counted?.count ?? 0, sample };
}
