/**
 * What an export holds, file by file: a workspace export (portability: everything the workspace
 * keeps about its audience) or one contact's (access: everything about one person). Each file
 * is written twice in the zip, as JSONL and as CSV with these columns in this order. Pure values:
 * the queries (db/queries/export-rows.ts) and the writer (lib/exports/) both read them.
 */

export const EXPORT_SUBJECTS = ["contact", "workspace"] as const;
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

export const EXPORT_STATUSES = ["queued", "running", "ready", "failed", "expired"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

const CONTACT_COLUMNS = [
  "id",
  "email",
  "phone",
  "firstName",
  "lastName",
  "locale",
  "timezone",
  "birthday",
  "birthdayMonth",
  "birthdayDay",
  "attributes",
  "status",
  "unsubscribedAt",
  "createdAt",
  "updatedAt",
] as const;

/** A message with its whole status history: when it was queued, sent, delivered, opened, … */
const MESSAGE_COLUMNS = [
  "id",
  "kind",
  "channel",
  "recipient",
  "contactId",
  "campaignId",
  "templateId",
  "templateVersion",
  "category",
  "subject",
  "request",
  "provider",
  "providerMessageId",
  "status",
  "error",
  "retryCount",
  "openCount",
  "clickCount",
  "queuedAt",
  "sentAt",
  "deliveredAt",
  "openedAt",
  "clickedAt",
  "bouncedAt",
  "complainedAt",
  "failedAt",
  "suppressedAt",
  "unsubscribedAt",
  "deadLetteredAt",
  "updatedAt",
] as const;

const EVENT_COLUMNS = [
  "id",
  "messageId",
  "campaignId",
  "contactId",
  "channel",
  "type",
  "source",
  "occurredAt",
  "recordedAt",
  "machine",
  "url",
  "recipientDomain",
  "bounceKind",
  "client",
  "device",
  "os",
  "firstOpen",
  "firstClick",
] as const;

export const EXPORT_FILES = {
  // A workspace export.
  contacts: { columns: CONTACT_COLUMNS, about: "Every contact (those whose erasure was requested are left out)" },
  lists: { columns: ["id", "name", "description", "createdAt", "updatedAt"], about: "Every list" },
  list_members: { columns: ["listId", "contactId", "createdAt"], about: "Which contact is on which list, since when" },
  messages: { columns: MESSAGE_COLUMNS, about: "Messages (transactional and campaign) with their status history" },
  engagement_events: { columns: EVENT_COLUMNS, about: "Deliveries, opens, clicks, bounces, complaints and unsubscribes, as they happened" },
  // A contact export (also `messages` and `engagement_events`, the contact's only).
  contact: { columns: CONTACT_COLUMNS, about: "The contact as stored" },
  list_memberships: { columns: ["listId", "listName", "createdAt"], about: "The lists the contact is on" },
  preferences: { columns: ["channel", "category", "enabled", "source", "updatedAt"], about: "The contact's channel and category preferences" },
  inbox_messages: {
    columns: ["id", "messageId", "category", "title", "body", "actionUrl", "data", "seenAt", "readAt", "archivedAt", "createdAt", "updatedAt"],
    about: "The contact's in-app inbox",
  },
  push_subscriptions: {
    columns: ["id", "kind", "address", "label", "lastSentAt", "createdAt", "updatedAt"],
    about: "The contact's devices for push (their encryption keys are left out: they only work for the device)",
  },
  consent: {
    columns: ["channel", "address", "subscription", "unsubscribedAt", "suppressed", "suppressionReason", "suppressedAt"],
    about: "Per channel: whether the contact is subscribed, and whether their address is suppressed (and why)",
  },
  audit_entries: { columns: ["id", "actor", "action", "details", "createdAt"], about: "Audit entries about the contact" },
} as const satisfies Record<string, { columns: readonly string[]; about: string }>;

export type ExportFile = keyof typeof EXPORT_FILES;

/** The files of each kind of export, in the order they appear in the zip. */
export const FILES_OF: Record<ExportSubject, readonly ExportFile[]> = {
  workspace: ["contacts", "lists", "list_members", "messages", "engagement_events"],
  contact: ["contact", "list_memberships", "preferences", "messages", "engagement_events", "inbox_messages", "push_subscriptions", "consent", "audit_entries"],
};

/** Who an export is about: the whole workspace, or one contact in it. */
export type ExportScope = { workspaceId: string; contactId: string | null };

/** A row as written: column → value (dates as Date, JSON columns as objects). */
export type ExportRow = Record<string, unknown>;
