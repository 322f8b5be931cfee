import type { MailboxConnection } from "@/db/queries/mailbox-connections";
import type { MailboxMessage } from "@/db/queries/mailbox-messages";

/** A connection as the API shows it: its status and progress, never its storage key or credentials. */
export function mailboxConnectionView(row: MailboxConnection) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    statusReason: row.statusReason,
    label: row.label,
    ownerAddresses: row.ownerAddresses,
    storeBodies: row.storeBodies,
    // Where and as whom it connects (host, port, user, folders; the Gmail address): never a password or token.
    settings: row.settings ?? null,
    historyDays: row.historyDays,
    fileName: row.fileName,
    fileBytes: row.fileBytes,
    done: row.finishedAt !== null,
    progress: {
      bytesRead: row.finishedAt ? (row.fileBytes ?? 0) : Math.min(row.cursor?.offset ?? 0, row.fileBytes ?? 0),
      messagesSeen: row.messagesSeen,
      messagesStored: row.messagesStored,
      messagesSkipped: row.messagesSkipped,
      recipientsDropped: row.recipientsDropped,
      contactsCreated: row.contactsCreated,
      contactsUpdated: row.contactsUpdated,
    },
    skippedSamples: row.skippedSamples,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    backfilledAt: row.backfilledAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function mailboxMessageView(row: MailboxMessage) {
  return {
    id: row.id,
    connectionId: row.connectionId,
    messageId: row.messageId,
    threadId: row.threadId,
    from: row.fromAddress,
    to: row.toAddresses,
    cc: row.ccAddresses,
    sentAt: row.sentAt?.toISOString() ?? null,
    subject: row.subject,
    snippet: row.snippet,
    direction: row.direction,
    labels: row.labels,
    automated: row.automated,
    automatedReason: row.automatedReason,
    body: row.body,
    createdAt: row.createdAt.toISOString(),
  };
}
