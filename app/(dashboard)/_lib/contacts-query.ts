import { z } from "zod";
import { subscriptionStatus } from "@/db/schema";
import { decodeCursor, type Position } from "@/core/pagination/cursor";
import { normalizeEmail } from "@/core/contacts/normalize-email";
import { param, type SearchParams } from "./search-params";

export type ContactStatus = (typeof subscriptionStatus.enumValues)[number];

export type ContactsQuery = {
  /** What the operator typed, shown back in the search box. */
  emailInput: string | undefined;
  /** The address normalised as the API does; undefined when absent or invalid. */
  email: string | undefined;
  emailError: string | undefined;
  status: ContactStatus | undefined;
  listId: string | undefined;
  after: Position | undefined;
};

/**
 * The contacts page's query string. A bad email is reported (the search would silently match
 * nothing otherwise); an unknown status, a malformed list id or cursor is ignored, as on the
 * other dashboard pages: this is a page, not the API.
 */
export function parseContactsQuery(query: SearchParams): ContactsQuery {
  const emailInput = param(query, "email")?.trim() || undefined;
  const normalized = emailInput ? normalizeEmail(emailInput) : undefined;
  const status = subscriptionStatus.enumValues.find((value) => value === param(query, "status"));
  const listId = param(query, "listId");
  const cursor = param(query, "cursor");
  return {
    emailInput,
    email: normalized?.ok ? normalized.value : undefined,
    emailError: normalized && !normalized.ok ? normalized.reason : undefined,
    status,
    listId: listId && z.uuid().safeParse(listId).success ? listId : undefined,
    after: cursor ? (decodeCursor(cursor) ?? undefined) : undefined,
  };
}

/** The filters to carry into pagination links (the normalised email, so links stay canonical). */
export function contactsFilterParams(query: ContactsQuery): Record<string, string | undefined> {
  return { email: query.email ?? query.emailInput, status: query.status, listId: query.listId };
}

/** "Ada Lovelace", or null when the contact has neither name. */
export function contactName(contact: { firstName: string | null; lastName: string | null }): string | null {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ").trim();
  return name || null;
}

/** An attribute value as one line of text: strings as they are, anything else as JSON. */
export function attributeText(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}
