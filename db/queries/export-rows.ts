import { and, asc, count, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { auditLog, contactPreferences, contacts, engagementEvents, inboxMessages, listMembers, lists, messages, notificationCategories, pushSubscriptions, suppressions } from "@/db/schema";
import { addressHash } from "@/core/messages/address-hash";
import { CHANNEL_ADDRESS, CHANNELS } from "@/core/messages/channels";
import type { ExportFile, ExportRow, ExportScope } from "@/core/exports/export-files";

/**
 * The rows of an export, file by file, read along a keyset (never OFFSET): each page starts
 * strictly after the last row of the one before, whose position is `cursor` (opaque text a
 * step output can carry). Contacts whose erasure was requested are left out everywhere, with
 * their memberships, messages and events.
 */

export type ExportPage = { rows: ExportRow[]; cursor: string | null };

const SEPARATOR = "|";
const split = (cursor: string) => {
  const at = cursor.lastIndexOf(SEPARATOR);
  return [cursor.slice(0, at), cursor.slice(at + 1)] as const;
};

type KeyType = "uuid" | "timestamptz" | "bigint";

/** `(a, b) > (cursor)`: a row comparison, so the index on the pair serves it. */
function afterPair(a: PgColumn, b: PgColumn, cursor: string | null, cast: { a: KeyType; b: KeyType }): SQL | undefined {
  if (!cursor) return undefined;
  const [first, second] = split(cursor);
  return sql`(${a}, ${b}) > (${first}::${sql.raw(cast.a)}, ${second}::${sql.raw(cast.b)})`;
}

const afterId = (column: PgColumn, cursor: string | null) => (cursor ? sql`${column} > ${cursor}::uuid` : undefined);


const contactColumns = {
  id: contacts.id,
  email: contacts.email,
  phone: contacts.phone,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  locale: contacts.locale,
  timezone: contacts.timezone,
  birthday: contacts.birthday,
  birthdayMonth: contacts.birthdayMonth,
  birthdayDay: contacts.birthdayDay,
  attributes: contacts.attributes,
  status: contacts.status,
  unsubscribedAt: contacts.unsubscribedAt,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
};

const messageColumns = {
  id: messages.id,
  kind: messages.kind,
  channel: messages.channel,
  recipient: messages.recipient,
  contactId: messages.contactId,
  campaignId: messages.campaignId,
  templateId: messages.templateId,
  templateVersion: messages.templateVersion,
  category: messages.category,
  subject: messages.subject,
  request: messages.request,
  provider: messages.provider,
  providerMessageId: messages.providerMessageId,
  status: messages.status,
  error: messages.error,
  retryCount: messages.retryCount,
  openCount: messages.openCount,
  clickCount: messages.clickCount,
  queuedAt: messages.queuedAt,
  sentAt: messages.sentAt,
  deliveredAt: messages.deliveredAt,
  openedAt: messages.openedAt,
  clickedAt: messages.clickedAt,
  bouncedAt: messages.bouncedAt,
  complainedAt: messages.complainedAt,
  failedAt: messages.failedAt,
  suppressedAt: messages.suppressedAt,
  unsubscribedAt: messages.unsubscribedAt,
  deadLetteredAt: messages.deadLetteredAt,
  updatedAt: messages.updatedAt,
};

const eventColumns = {
  id: engagementEvents.id,
  messageId: engagementEvents.messageId,
  campaignId: engagementEvents.campaignId,
  contactId: engagementEvents.contactId,
  channel: engagementEvents.channel,
  type: engagementEvents.type,
  source: engagementEvents.source,
  occurredAt: engagementEvents.occurredAt,
  recordedAt: engagementEvents.recordedAt,
  machine: engagementEvents.machine,
  url: engagementEvents.url,
  recipientDomain: engagementEvents.recipientDomain,
  bounceKind: engagementEvents.bounceKind,
  client: engagementEvents.client,
  device: engagementEvents.device,
  os: engagementEvents.os,
  firstOpen: engagementEvents.firstOpen,
  firstClick: engagementEvents.firstClick,
};

const at = (value: Date) => value.toISOString();
const last = <T>(rows: T[]) => rows.at(-1);

/** Messages of the scope: the workspace's (of visible contacts), or one contact's. */
function messagesWhere(scope: ExportScope): SQL | undefined {
  return and(
    eq(messages.workspaceId, scope.workspaceId),
    scope.contactId ? eq(messages.contactId, scope.contactId) : sql`not exists (select 1 from ${contacts} hidden where hidden.id = ${messages.contactId} and hidden.erasure_requested_at is not null)`,
  );
}

function eventsWhere(scope: ExportScope): SQL | undefined {
  return and(
    eq(engagementEvents.workspaceId, scope.workspaceId),
    scope.contactId
      ? eq(engagementEvents.contactId, scope.contactId)
      : sql`not exists (select 1 from ${contacts} hidden where hidden.id = ${engagementEvents.contactId} and hidden.erasure_requested_at is not null)`,
  );
}

const contactsWhere = (scope: ExportScope) =>
  and(eq(contacts.workspaceId, scope.workspaceId), isNull(contacts.erasureRequestedAt), scope.contactId ? eq(contacts.id, scope.contactId) : undefined);

const membersWhere = (scope: ExportScope) =>
  and(
    eq(listMembers.workspaceId, scope.workspaceId),
    scope.contactId
      ? eq(listMembers.contactId, scope.contactId)
      : sql`not exists (select 1 from ${contacts} hidden where hidden.id = ${listMembers.contactId} and hidden.erasure_requested_at is not null)`,
  );

const contactAudit = (scope: ExportScope) =>
  and(eq(auditLog.workspaceId, scope.workspaceId), eq(auditLog.targetType, "contact"), eq(auditLog.targetId, scope.contactId ?? ""));

/** How many rows a file will have (the export's progress is measured against the sum). */
export async function countExportRows(db: Db, scope: ExportScope, file: ExportFile): Promise<number> {
  const total = async (query: Promise<{ n: number }[]>) => Number((await query)[0]?.n ?? 0);
  switch (file) {
    case "contacts":
    case "contact":
      return total(db.select({ n: count() }).from(contacts).where(contactsWhere(scope)));
    case "lists":
      return total(db.select({ n: count() }).from(lists).where(eq(lists.workspaceId, scope.workspaceId)));
    case "list_members":
    case "list_memberships":
      return total(db.select({ n: count() }).from(listMembers).where(membersWhere(scope)));
    case "messages":
      return total(db.select({ n: count() }).from(messages).where(messagesWhere(scope)));
    case "engagement_events":
      return total(db.select({ n: count() }).from(engagementEvents).where(eventsWhere(scope)));
    case "preferences":
      return total(db.select({ n: count() }).from(contactPreferences).where(and(eq(contactPreferences.workspaceId, scope.workspaceId), eq(contactPreferences.contactId, scope.contactId ?? sql`null`))));
    case "inbox_messages":
      return total(db.select({ n: count() }).from(inboxMessages).where(and(eq(inboxMessages.workspaceId, scope.workspaceId), eq(inboxMessages.contactId, scope.contactId ?? sql`null`))));
    case "push_subscriptions":
      return total(db.select({ n: count() }).from(pushSubscriptions).where(and(eq(pushSubscriptions.workspaceId, scope.workspaceId), eq(pushSubscriptions.contactId, scope.contactId ?? sql`null`))));
    case "consent":
      return (await consentRows(db, scope)).length;
    case "audit_entries":
      return total(db.select({ n: count() }).from(auditLog).where(contactAudit(scope)));
  }
}

/** Up to `limit` rows of a file after `cursor` (null: from the start), and the cursor of the last one. */
export async function readExportRows(db: Db, scope: ExportScope, file: ExportFile, cursor: string | null, limit: number): Promise<ExportPage> {
  switch (file) {
    case "contacts":
    case "contact": {
      const rows = await db.select(contactColumns).from(contacts).where(and(contactsWhere(scope), afterId(contacts.id, cursor))).orderBy(asc(contacts.id)).limit(limit);
      return { rows, cursor: last(rows)?.id ?? null };
    }
    case "lists": {
      const rows = await db
        .select({ id: lists.id, name: lists.name, description: lists.description, createdAt: lists.createdAt, updatedAt: lists.updatedAt })
        .from(lists)
        .where(and(eq(lists.workspaceId, scope.workspaceId), afterId(lists.id, cursor)))
        .orderBy(asc(lists.id))
        .limit(limit);
      return { rows, cursor: last(rows)?.id ?? null };
    }
    case "list_members": {
      // Along the primary key (list_id, contact_id).
      const rows = await db
        .select({ listId: listMembers.listId, contactId: listMembers.contactId, createdAt: listMembers.createdAt })
        .from(listMembers)
        .where(and(membersWhere(scope), afterPair(listMembers.listId, listMembers.contactId, cursor, { a: "uuid", b: "uuid" })))
        .orderBy(asc(listMembers.listId), asc(listMembers.contactId))
        .limit(limit);
      const end = last(rows);
      return { rows, cursor: end ? `${end.listId}${SEPARATOR}${end.contactId}` : null };
    }
    case "list_memberships": {
      const rows = await db
        .select({ listId: listMembers.listId, listName: lists.name, createdAt: listMembers.createdAt })
        .from(listMembers)
        .innerJoin(lists, eq(lists.id, listMembers.listId))
        .where(and(membersWhere(scope), afterId(listMembers.listId, cursor)))
        .orderBy(asc(listMembers.listId))
        .limit(limit);
      return { rows, cursor: last(rows)?.listId ?? null };
    }
    case "messages": {
      // Along (queued_at, id): the (workspace_id, queued_at) index serves a workspace's pages.
      const rows = await db
        .select(messageColumns)
        .from(messages)
        .where(and(messagesWhere(scope), afterPair(messages.queuedAt, messages.id, cursor, { a: "timestamptz", b: "uuid" })))
        .orderBy(asc(messages.queuedAt), asc(messages.id))
        .limit(limit);
      const end = last(rows);
      return { rows, cursor: end ? `${at(end.queuedAt)}${SEPARATOR}${end.id}` : null };
    }
    case "engagement_events": {
      const rows = await db
        .select(eventColumns)
        .from(engagementEvents)
        .where(and(eventsWhere(scope), afterPair(engagementEvents.occurredAt, engagementEvents.id, cursor, { a: "timestamptz", b: "bigint" })))
        .orderBy(asc(engagementEvents.occurredAt), asc(engagementEvents.id))
        .limit(limit);
      const end = last(rows);
      return { rows, cursor: end ? `${at(end.occurredAt)}${SEPARATOR}${end.id}` : null };
    }
    case "preferences": {
      const rows = await db
        .select({ id: contactPreferences.id, channel: contactPreferences.channel, category: notificationCategories.key, enabled: contactPreferences.enabled, source: contactPreferences.source, updatedAt: contactPreferences.updatedAt })
        .from(contactPreferences)
        .leftJoin(notificationCategories, eq(notificationCategories.id, contactPreferences.categoryId))
        .where(and(eq(contactPreferences.workspaceId, scope.workspaceId), eq(contactPreferences.contactId, scope.contactId ?? sql`null`), afterId(contactPreferences.id, cursor)))
        .orderBy(asc(contactPreferences.id))
        .limit(limit);
      return { rows: rows.map(({ id: _id, ...row }) => row), cursor: last(rows)?.id ?? null };
    }
    case "inbox_messages": {
      const rows = await db
        .select({
          id: inboxMessages.id,
          messageId: inboxMessages.messageId,
          category: inboxMessages.category,
          title: inboxMessages.title,
          body: inboxMessages.body,
          actionUrl: inboxMessages.actionUrl,
          data: inboxMessages.data,
          seenAt: inboxMessages.seenAt,
          readAt: inboxMessages.readAt,
          archivedAt: inboxMessages.archivedAt,
          createdAt: inboxMessages.createdAt,
          updatedAt: inboxMessages.updatedAt,
        })
        .from(inboxMessages)
        .where(and(eq(inboxMessages.workspaceId, scope.workspaceId), eq(inboxMessages.contactId, scope.contactId ?? sql`null`), afterId(inboxMessages.id, cursor)))
        .orderBy(asc(inboxMessages.id))
        .limit(limit);
      return { rows, cursor: last(rows)?.id ?? null };
    }
    case "push_subscriptions": {
      const rows = await db
        .select({ id: pushSubscriptions.id, kind: pushSubscriptions.kind, address: pushSubscriptions.address, label: pushSubscriptions.label, lastSentAt: pushSubscriptions.lastSentAt, createdAt: pushSubscriptions.createdAt, updatedAt: pushSubscriptions.updatedAt })
        .from(pushSubscriptions)
        .where(and(eq(pushSubscriptions.workspaceId, scope.workspaceId), eq(pushSubscriptions.contactId, scope.contactId ?? sql`null`), afterId(pushSubscriptions.id, cursor)))
        .orderBy(asc(pushSubscriptions.id))
        .limit(limit);
      return { rows, cursor: last(rows)?.id ?? null };
    }
    case "consent": {
      // A handful of rows (one per channel): read whole, the cursor is the last channel's position.
      const all = await consentRows(db, scope);
      const start = cursor === null ? 0 : Number(cursor);
      const rows = all.slice(start, start + limit);
      return { rows, cursor: rows.length ? String(start + rows.length) : null };
    }
    case "audit_entries": {
      const rows = await db
        .select({ id: auditLog.id, actor: auditLog.actor, action: auditLog.action, details: auditLog.details, createdAt: auditLog.createdAt })
        .from(auditLog)
        .where(and(contactAudit(scope), cursor ? sql`${auditLog.id} > ${Number(cursor)}` : undefined))
        .orderBy(asc(auditLog.id))
        .limit(limit);
      const end = last(rows);
      return { rows, cursor: end ? String(end.id) : null };
    }
  }
}

/**
 * One row per channel the contact can be reached on: their subscription and whether the address
 * is suppressed (suppressions hold only a hash of it, so the contact's addresses are hashed here).
 */
async function consentRows(db: Db, scope: ExportScope): Promise<ExportRow[]> {
  if (!scope.contactId) return [];
  const [contact] = await db.select(contactColumns).from(contacts).where(contactsWhere(scope));
  if (!contact) return [];
  const reachable = CHANNELS.flatMap((channel) => {
    const kind = CHANNEL_ADDRESS[channel];
    const address = kind === "email" ? contact.email : kind === "phone" ? contact.phone : null;
    return address ? [{ channel, address, hash: addressHash(channel, address) }] : [];
  });
  const found = reachable.length
    ? await db
        .select({ channel: suppressions.channel, addressHash: suppressions.addressHash, reason: suppressions.reason, createdAt: suppressions.createdAt })
        .from(suppressions)
        .where(and(eq(suppressions.workspaceId, scope.workspaceId), sql`${suppressions.addressHash} in (${sql.join(reachable.map((r) => sql`${r.hash}`), sql`, `)})`))
    : [];
  return reachable.map(({ channel, address, hash }) => {
    const suppression = found.find((row) => row.channel === channel && row.addressHash === hash);
    return {
      channel,
      address,
      subscription: contact.status,
      unsubscribedAt: contact.unsubscribedAt,
      suppressed: Boolean(suppression),
      suppressionReason: suppression?.reason ?? null,
      suppressedAt: suppression?.createdAt ?? null,
    };
  });
}

/** A contact an export may be made of, by id or by email (any case); null when unknown, of another workspace, or being erased. */
export async function findExportableContact(db: Db, params: { workspaceId: string; emailOrId: string }): Promise<{ id: string; email: string | null } | null> {
  const value = params.emailOrId.trim();
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  const [row] = await db
    .select({ id: contacts.id, email: contacts.email })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), isNull(contacts.erasureRequestedAt), isId ? eq(contacts.id, value) : sql`lower(${contacts.email}) = ${value.toLowerCase()}`))
    .limit(1);
  return row ?? null;
}

/** Contacts' emails by id (for labels); erased or unknown ids are simply absent. */
export async function contactLabels(db: Db, params: { workspaceId: string; contactIds: readonly string[] }): Promise<Record<string, string>> {
  if (params.contactIds.length === 0) return {};
  const rows = await db
    .select({ id: contacts.id, email: contacts.email, phone: contacts.phone })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), isNull(contacts.erasureRequestedAt), inArray(contacts.id, [...new Set(params.contactIds)])));
  return Object.fromEntries(rows.map((row) => [row.id, row.email ?? row.phone ?? row.id]));
}
