import { eventType } from "inngest";
import { z } from "zod";

/**
 * Every event Sendline sends or receives, declared once. Events carry ids, never rows:
 * functions re-read state (and the workspace) from the database.
 */

const id = z.uuid();

/**
 * `channel` keys send-notification's batches (one provider call carries one channel); it is
 * optional so that an event sent without it (an older sender) still sends, in a batch of its own.
 */
export const notificationSendRequested = eventType("notification/send.requested", {
  schema: z.object({ workspaceId: id, messageId: id, channel: z.enum(["email", "sms"]).optional() }),
});
export type NotificationSendRequested = z.infer<typeof notificationSendRequested.schema>;

/** An uploaded contacts file is stored and its import row created; `import-contacts` does the rest. */
export const contactImportRequested = eventType("import/contacts.requested", {
  schema: z.object({ workspaceId: id, importId: id }),
});
export type ContactImportRequested = z.infer<typeof contactImportRequested.schema>;

/**
 * An import finished (completed or cancelled after some chunks) having inserted `inserted`
 * contacts; `enrich-imported-contacts` pages through them from the database. One event per
 * import, where one per contact cost a million events (and seconds of the import) per million rows.
 */
export const contactImportCompleted = eventType("import/contacts.completed", {
  schema: z.object({ workspaceId: id, importId: id, inserted: z.number().int().nonnegative() }),
});
export type ContactImportCompleted = z.infer<typeof contactImportCompleted.schema>;

/**
 * A contact was created through the API; `enrich-contacts` consumes them with batchEvents.
 * Imports do not send one per contact: they send one import/contacts.completed instead.
 */
export const contactCreated = eventType("contact/created", {
  schema: z.object({ workspaceId: id, contactId: id }),
});
export type ContactCreated = z.infer<typeof contactCreated.schema>;

/** A campaign was scheduled (or rescheduled) for `sendAt`; `scheduleVersion` tells stale runs apart. */
export const campaignScheduled = eventType("campaign/scheduled", {
  schema: z.object({ workspaceId: id, campaignId: id, scheduleVersion: z.number().int() }),
});
export type CampaignScheduled = z.infer<typeof campaignScheduled.schema>;

/** Start sending a campaign now (from the API's `send`, or when its schedule comes due). */
export const campaignSendRequested = eventType("campaign/send.requested", {
  schema: z.object({ workspaceId: id, campaignId: id }),
});
export type CampaignSendRequested = z.infer<typeof campaignSendRequested.schema>;

/** A campaign was cancelled or rescheduled: waiting schedule runs for it stop (cancelOn). */
export const campaignUnscheduled = eventType("campaign/unscheduled", {
  schema: z.object({ workspaceId: id, campaignId: id }),
});
export type CampaignUnscheduled = z.infer<typeof campaignUnscheduled.schema>;

/**
 * One chunk (~1,000 recipients) of a campaign is ready to send. `providerAccount` is the
 * throttle key: every chunk sent through one provider account shares its rate limit.
 */
export const campaignChunkReady = eventType("campaign/chunk.ready", {
  schema: z.object({ workspaceId: id, campaignId: id, chunk: z.number().int().nonnegative(), providerAccount: z.string().min(1) }),
});
export type CampaignChunkReady = z.infer<typeof campaignChunkReady.schema>;

/**
 * Every recipient of the campaign's chunks has an outcome: sent once per campaign (event id
 * `campaign-chunks-done-<campaign>`) by the chunk run that completed last, naming its chunk;
 * `finalize-campaign` ends the campaign.
 */
export const campaignChunkCompleted = eventType("campaign/chunk.completed", {
  schema: z.object({ workspaceId: id, campaignId: id, chunk: z.number().int().nonnegative() }),
});
export type CampaignChunkCompleted = z.infer<typeof campaignChunkCompleted.schema>;

/**
 * A provider webhook was verified and stored in `webhook_events` under (provider, deliveryId);
 * the event carries only that key, and the processing function reads the payload from there.
 */
export const providerWebhookReceived = eventType("provider/webhook.received", {
  schema: z.object({ provider: z.enum(["resend", "twilio"]), deliveryId: z.string().min(1) }),
});
export type ProviderWebhookReceived = z.infer<typeof providerWebhookReceived.schema>;
