import { eventType } from "inngest";
import { z } from "zod";

/**
 * Every event Sendline sends or receives, declared once. Events carry ids, never rows:
 * functions re-read state (and the workspace) from the database.
 */

const id = z.uuid();

export const notificationSendRequested = eventType("notification/send.requested", {
  schema: z.object({ workspaceId: id, messageId: id }),
});
export type NotificationSendRequested = z.infer<typeof notificationSendRequested.schema>;

/** An uploaded contacts file is stored and its import row created; `import-contacts` does the rest. */
export const contactImportRequested = eventType("import/contacts.requested", {
  schema: z.object({ workspaceId: id, importId: id }),
});
export type ContactImportRequested = z.infer<typeof contactImportRequested.schema>;

/**
 * A contact was created (by the API or an import). Sent in batches of up to 5,000 events per
 * send; `enrich-contacts` consumes them with batchEvents.
 */
export const contactCreated = eventType("contact/created", {
  schema: z.object({ workspaceId: id, contactId: id }),
});
export type ContactCreated = z.infer<typeof contactCreated.schema>;
