import { z } from "zod";
import { mailboxConnectionKind, mailboxConnectionStatus, mailboxDirection } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { pageParams } from "@/lib/api/pagination";
import { MAILBOX_MAX_FILE_BYTES } from "@/core/mailbox/mailbox-limits";
import { imapConnectionFields, imapCredentialsFields } from "@/lib/mailbox/imap/imap-connection-fields";
import { mailboxUploadFields } from "@/lib/mailbox/mailbox-upload-fields";
import { idParams, nullableTimestamp, paged, timestamp } from "./common";

const tag = "Mailbox";
const count = z.number().int();
const address = z.object({ name: z.string().nullable(), address: z.string() }).meta({ id: "MailboxAddress" });

export const mailboxConnectionSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(mailboxConnectionKind.enumValues).meta({ description: "Where the messages come from: `import` (an uploaded export), `imap`, `gmail` (synced every 15 minutes)" }),
    status: z.enum(mailboxConnectionStatus.enumValues),
    statusReason: z.string().nullable(),
    label: z.string(),
    ownerAddresses: z.array(z.string()).meta({ description: "The mailbox owner's addresses: they decide direction and are never extracted" }),
    storeBodies: z.boolean(),
    settings: z
      .union([
        z.object({ kind: z.literal("imap"), host: z.string(), port: count, secure: z.boolean(), user: z.string(), folders: z.array(z.string()) }),
        z.object({ kind: z.literal("gmail"), address: z.string() }),
      ])
      .nullable()
      .meta({ description: "Where a synced mailbox connects and as whom; never a password or token" }),
    historyDays: count.meta({ description: "How far back the first sync (the backfill) reads" }),
    fileName: z.string().nullable(),
    fileBytes: count.nullable(),
    done: z.boolean().meta({ description: "Every message of the file has been read" }),
    progress: z.object({
      bytesRead: count,
      messagesSeen: count,
      messagesStored: count.meta({ description: "New to the workspace (a Message-ID seen before is not stored twice)" }),
      messagesSkipped: count.meta({ description: "Unreadable messages, each with a reason (`skippedSamples` keeps the last few)" }),
      recipientsDropped: count.meta({ description: "Addresses past the per-message cap (mail bombs), not looked at" }),
      contactsCreated: count,
      contactsUpdated: count.meta({ description: "Pages that filled an empty field of an existing contact, per contact" }),
    }),
    skippedSamples: z.array(z.object({ at: z.string().meta({ description: "Where the message was: `byte 1234` of an upload, `INBOX uid 42`, a Gmail message id" }), reason: z.string() })),
    createdAt: timestamp,
    startedAt: nullableTimestamp,
    finishedAt: nullableTimestamp,
    lastSyncedAt: nullableTimestamp.meta({ description: "When a sync last committed a page" }),
    backfilledAt: nullableTimestamp.meta({ description: "When the backfill reached the end of the history window" }),
    updatedAt: timestamp,
  })
  .meta({ id: "MailboxConnection" });

export const mailboxMessageSchema = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid().nullable(),
    messageId: z.string(),
    threadId: z.string(),
    from: address.nullable(),
    to: z.array(address),
    cc: z.array(address),
    sentAt: nullableTimestamp,
    subject: z.string().nullable(),
    snippet: z.string().nullable(),
    direction: z.enum(mailboxDirection.enumValues),
    labels: z.array(z.string()),
    automated: z.boolean(),
    automatedReason: z.string().nullable(),
    body: z.string().nullable().meta({ description: "Only when the connection stores bodies" }),
    createdAt: timestamp,
  })
  .meta({ id: "MailboxMessage" });

const uploadForm = mailboxUploadFields.extend({
  file: z.string().meta({
    contentMediaType: "application/octet-stream",
    description: `An .mbox (as Google Takeout writes it), one .eml, or a .zip of .eml files; at most ${MAILBOX_MAX_FILE_BYTES / (1024 * 1024)} MB`,
  }),
  ownerAddresses: mailboxUploadFields.shape.ownerAddresses.meta({ description: "The mailbox owner's addresses, comma separated" }),
  label: mailboxUploadFields.shape.label.meta({ description: "A name for the connection (the file name otherwise)" }),
  storeBodies: mailboxUploadFields.shape.storeBodies.meta({ description: "`true` keeps each message's text body (capped); headers and a snippet otherwise" }),
});

const action = (path: string, summary: string, conflict: string) =>
  apiOperation({
    method: "post",
    path,
    tag,
    summary,
    params: idParams("connection"),
    responses: { 200: { description: "The connection", schema: mailboxConnectionSchema } },
    errors: { 404: "No such connection in this workspace", 409: conflict },
  });

export const mailboxApi = {
  createImport: apiOperation({
    method: "post",
    path: "/mailbox/imports",
    tag,
    summary: "Upload a mailbox export to import",
    description: "Stores the file and creates an `import` connection; its messages are read in the background and the people in them merged into contacts.",
    body: uploadForm,
    bodyType: "multipart",
    responses: { 201: { description: "Stored and queued", schema: mailboxConnectionSchema } },
    errors: { 413: "The file is over the size limit, or a zip over the entry or inflated-size caps (zip_too_many_entries, zip_too_large)", 503: "The file is stored but the import could not be queued; post it again" },
  }),
  createConnection: apiOperation({
    method: "post",
    path: "/mailbox/connections",
    tag,
    summary: "Connect an IMAP mailbox",
    description:
      "Logs in once to check the credentials, stores the connection with the password sealed, and starts its sync: new mail first, then history back to `historyDays`, then every 15 minutes.",
    body: imapConnectionFields,
    responses: { 201: { description: "Connected; the first sync is queued", schema: mailboxConnectionSchema } },
    errors: { 422: "The server refused the login (credentials_refused)", 502: "No IMAP server answered at that host and port (server_unreachable)", 503: "Connected but the sync could not be queued" },
  }),
  sync: action("/mailbox/connections/{id}/sync", "Sync new mail now (ahead of any history still being read)", "The connection is not an active synced mailbox"),
  reconnect: apiOperation({
    method: "post",
    path: "/mailbox/connections/{id}/credentials",
    tag,
    summary: "Reconnect with a new password after the server refused the stored one",
    params: idParams("connection"),
    body: imapCredentialsFields,
    responses: { 200: { description: "Active again; a sync is queued", schema: mailboxConnectionSchema } },
    errors: { 404: "No such IMAP connection in this workspace", 409: "The connection is not waiting for a reconnect", 422: "The server refused the login", 502: "The server cannot be reached" },
  }),
  listConnections: apiOperation({
    method: "get",
    path: "/mailbox/connections",
    tag,
    summary: "List mailbox connections, newest first",
    query: z.strictObject({ ...pageParams }),
    responses: { 200: { description: "A page of connections", schema: paged(mailboxConnectionSchema) } },
  }),
  getConnection: apiOperation({
    method: "get",
    path: "/mailbox/connections/{id}",
    tag,
    summary: "One connection's status and progress",
    params: idParams("connection"),
    responses: { 200: { description: "The connection", schema: mailboxConnectionSchema } },
    errors: { 404: "No such connection in this workspace" },
  }),
  deleteConnection: apiOperation({
    method: "delete",
    path: "/mailbox/connections/{id}",
    tag,
    summary: "Disconnect: stop reading the mailbox (messages and contacts already extracted stay)",
    params: idParams("connection"),
    responses: { 200: { description: "The disconnected connection", schema: mailboxConnectionSchema } },
    errors: { 404: "No such connection in this workspace" },
  }),
  pause: action("/mailbox/connections/{id}/pause", "Pause reading after the current page", "The connection is not active"),
  resume: action("/mailbox/connections/{id}/resume", "Resume reading from where it stopped", "The connection is not paused"),
  listMessages: apiOperation({
    method: "get",
    path: "/mailbox/messages",
    tag,
    summary: "List stored mailbox messages, newest first",
    query: z.strictObject({
      ...pageParams,
      connectionId: z.uuid().optional().meta({ description: "Only messages this connection stored" }),
      contactId: z.uuid().optional().meta({ description: "Only messages exchanged with this contact (by its email address)" }),
    }),
    responses: { 200: { description: "A page of messages", schema: paged(mailboxMessageSchema) } },
    errors: { 404: "`contactId` names no contact of this workspace" },
  }),
};
