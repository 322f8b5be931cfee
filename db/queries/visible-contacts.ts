import { isNull, type SQL, sql } from "drizzle-orm";
import { contacts } from "@/db/schema";

/**
 * The one condition that hides a contact whose erasure was requested (contacts.erasure_requested_at,
 * set in the transaction that records the erasure): every send, segment, list, lookup and import
 * match adds it, so a hidden contact is gone everywhere at once and back everywhere at once when
 * restored — nothing else about the contact changes while it is hidden.
 */
export const visibleContact: SQL = isNull(contacts.erasureRequestedAt);

/** The same condition for raw SQL over a `contacts` alias (`c`, …). */
export const visibleContactAs = (alias: string): SQL => sql`${sql.identifier(alias)}.erasure_requested_at is null`;
