import { eventType } from "inngest";
import { MACHINE_REASONS } from "@/core/analytics/engagement";
import { CHANNELS } from "@/core/messages/channels";
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
  schema: z.object({ workspaceId: id, messageId: id, channel: z.enum(CHANNELS).optional() }),
});
export type NotificationSendRequested = z.infer<typeof notificationSendRequested.schema>;

/**
 * A contact saw an in-app message (it appeared in their open inbox, or they read it). Sent by the
 * inbox feed API; a channel plan waits for it (`step.waitForEvent`, matched on `data.messageId`)
 * before falling through to its next channel.
 */
export const inboxMessageSeen = eventType("inbox/message.seen", {
  schema: z.object({ workspaceId: id, messageId: id, contactId: id }),
});
export type InboxMessageSeen = z.infer<typeof inboxMessageSeen.schema>;

/**
 * A notification the delivery rules hold (quiet hours, a capped category): `deliver-with-rules`
 * waits it out and releases it to send-notification. `contactKey` (the contact's id, else the
 * message's) keys its concurrency, so one contact's messages are counted against a cap in turn.
 */
export const notificationDeliveryRequested = eventType("notification/delivery.requested", {
  schema: z.object({ workspaceId: id, messageId: id, contactKey: id }),
});
export type NotificationDeliveryRequested = z.infer<typeof notificationDeliveryRequested.schema>;

/** A channel plan was recorded; `run-channel-plan` sends its steps in turn. */
export const channelPlanRequested = eventType("notification/plan.requested", {
  schema: z.object({ workspaceId: id, planId: id }),
});
export type ChannelPlanRequested = z.infer<typeof channelPlanRequested.schema>;

/** A digest got its first item (event id `digest-opened-<id>`, so once); `collect-digest` waits for its window. */
export const digestOpened = eventType("digest/window.opened", {
  schema: z.object({ workspaceId: id, digestId: id }),
});
export type DigestOpened = z.infer<typeof digestOpened.schema>;

/** Send a pending digest now (POST /api/v1/digests/{id}/flush); its collect-digest run waits for it. */
export const digestFlushRequested = eventType("digest/flush.requested", {
  schema: z.object({ workspaceId: id, digestId: id }),
});
export type DigestFlushRequested = z.infer<typeof digestFlushRequested.schema>;

/** A pending digest was cancelled (DELETE /api/v1/digests/{id}): its collect-digest run stops (cancelOn). */
export const digestCancelled = eventType("digest/cancelled", {
  schema: z.object({ workspaceId: id, digestId: id }),
});
export type DigestCancelled = z.infer<typeof digestCancelled.schema>;

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
 * A mailbox connection has work to do (an upload was stored, or it was resumed, or a run went
 * as far as one run may and hands over); `import-mailbox` reads it from its stored cursor.
 */
export const mailboxImportRequested = eventType("mailbox/import.requested", {
  schema: z.object({ workspaceId: id, connectionId: id }),
});
export type MailboxImportRequested = z.infer<typeof mailboxImportRequested.schema>;

/**
 * A synced mailbox (IMAP, Gmail) should read a page run: `incremental` (new mail, on the
 * 15-minute schedule or on demand; high priority) or `backfill` (history within the window, low
 * priority, handing over to a new run after a bounded number of pages). `sync-mailbox` reads it
 * from the connection's stored cursor.
 */
export const mailboxSyncRequested = eventType("mailbox/sync.requested", {
  schema: z.object({ workspaceId: id, connectionId: id, mode: z.enum(["backfill", "incremental"]) }),
});
export type MailboxSyncRequested = z.infer<typeof mailboxSyncRequested.schema>;

/**
 * A workspace's mail changed (an import ended, a sync stored messages) or a day passed (the
 * daily plan): `analyse-relationships` recomputes its relationships, debounced per workspace so a
 * burst of these costs one recompute. `after` and `asOf` continue a pass that went as far as one
 * run may (the next contact id, and the instant the pass scores as of).
 */
export const mailboxRelationshipsRequested = eventType("mailbox/relationships.requested", {
  schema: z.object({ workspaceId: id, after: id.optional(), asOf: z.iso.datetime().optional() }),
});
export type MailboxRelationshipsRequested = z.infer<typeof mailboxRelationshipsRequested.schema>;

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
 * Chunks of a campaign wait for their instant: a local-time campaign's zone (`zone`,
 * campaigns.local_send_time), an A/B send-time variant's sample, or the rest of a send-time
 * test's audience at the winner's time. One run sleeps until `releaseAt`, then emits those
 * chunks. Sent once per zone or instant per start.
 */
export const campaignReleaseScheduled = eventType("campaign/release.scheduled", {
  schema: z.object({ workspaceId: id, campaignId: id, zone: z.string().min(1).optional(), releaseAt: z.iso.datetime({ offset: true }) }),
});
export type CampaignReleaseScheduled = z.infer<typeof campaignReleaseScheduled.schema>;

/**
 * An A/B campaign's test sample went out: one run (pick-campaign-ab-winner) sleeps until
 * `decideAt` (the end of the test window), records the winner and releases the rest of the
 * audience. Event id `campaign-ab-<campaign>-<startedAt>`: one per start.
 */
export const campaignAbWinnerDue = eventType("campaign/ab-winner.due", {
  schema: z.object({ workspaceId: id, campaignId: id, decideAt: z.iso.datetime({ offset: true }) }),
});
export type CampaignAbWinnerDue = z.infer<typeof campaignAbWinnerDue.schema>;

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
 * A campaign ended (`sent`, or `failed` when nothing went out), whichever path ended it: the last
 * chunk's report, an empty audience, or the watchdog. Event id `campaign-finished-<campaign>`, so
 * once. Analysis and sealing of its metrics start from it.
 */
export const campaignFinished = eventType("campaign/finished", {
  schema: z.object({ workspaceId: id, campaignId: id, status: z.enum(["sent", "failed"]) }),
});
export type CampaignFinished = z.infer<typeof campaignFinished.schema>;

/**
 * The guard paused a sending campaign (its complaint or hard-bounce rate passed the threshold):
 * sent once per pause, so a workspace's own functions can react (page someone, clean a list).
 * Carries the numbers that tripped it; the campaign's status reason says the same in words.
 */
export const campaignGuardTripped = eventType("campaign/guard.tripped", {
  schema: z.object({
    workspaceId: id,
    campaignId: id,
    tripId: id,
    alertId: id,
    readings: z.array(
      z.object({ reason: z.enum(["complaint_rate", "hard_bounce_rate"]), rate: z.number(), count: z.number().int(), of: z.number().int(), threshold: z.number() }),
    ),
  }),
});
export type CampaignGuardTrippedEvent = z.infer<typeof campaignGuardTripped.schema>;

/**
 * A provider webhook was verified and stored in `webhook_events` under (provider, deliveryId);
 * the event carries only that key, and the processing function reads the payload from there.
 */
export const providerWebhookReceived = eventType("provider/webhook.received", {
  schema: z.object({ provider: z.enum(["resend", "twilio", "whatsapp"]), deliveryId: z.string().min(1) }),
});
export type ProviderWebhookReceived = z.infer<typeof providerWebhookReceived.schema>;

/**
 * A pixel load or a tracked link followed, as the tracking routes saw it: classified there (user
 * agent and address; the address itself never leaves the route), written in batches by
 * `record-engagement`. `observationId` is fresh per request and becomes the stored event's
 * dedupe key (and the Inngest event id), so a resent event or a replayed batch counts once.
 * Prefetch timing is judged by the writer, which reads the message's sent/delivered time.
 */
export const engagementObserved = eventType("engagement/event.observed", {
  schema: z.object({
    observationId: id,
    messageId: id,
    type: z.enum(["opened", "clicked"]),
    source: z.enum(["pixel", "redirect"]),
    occurredAt: z.iso.datetime(),
    url: z.string().nullable(),
    machine: z.enum(MACHINE_REASONS).nullable(),
    client: z.string().nullable(),
    device: z.string().nullable(),
    os: z.string().nullable(),
  }),
});
export type EngagementObserved = z.infer<typeof engagementObserved.schema>;

/**
 * A recommendation was asked for and its basis stored (POST /api/v1/recommendations, the
 * dashboard); `generate-recommendation` answers it. Event id `ai-recommendation-<id>`: once.
 */
export const recommendationRequested = eventType("ai/recommendation.requested", {
  schema: z.object({ workspaceId: id, recommendationId: id }),
});
export type RecommendationRequested = z.infer<typeof recommendationRequested.schema>;

/**
 * Data lifecycle (issue 16). Erasure: requested (the subject is hidden at once; `erase-after-window`
 * waits out the recovery window, cancelled by a restore), restored, due (the window passed:
 * `execute-erasure` runs it within the workspace's daily quota, `throttle`, so none is dropped).
 */
export const erasureRequested = eventType("lifecycle/erasure.requested", {
  schema: z.object({ workspaceId: id, erasureId: id }),
});
export type ErasureRequested = z.infer<typeof erasureRequested.schema>;

export const erasureRestored = eventType("lifecycle/erasure.restored", {
  schema: z.object({ workspaceId: id, erasureId: id }),
});
export type ErasureRestored = z.infer<typeof erasureRestored.schema>;

export const erasureDue = eventType("lifecycle/erasure.due", {
  schema: z.object({ workspaceId: id, erasureId: id }),
});
export type ErasureDue = z.infer<typeof erasureDue.schema>;

/** A recovery email for an erasure's contact; `rateLimit` keyed on the contact lets 2 a day through. */
export const recoveryEmailRequested = eventType("lifecycle/recovery-email.requested", {
  schema: z.object({ workspaceId: id, erasureId: id, contactId: id }),
});
export type RecoveryEmailRequested = z.infer<typeof recoveryEmailRequested.schema>;

/** An export was recorded (POST /api/v1/exports); `build-export` writes it in chunks. */
export const exportRequested = eventType("lifecycle/export.requested", {
  schema: z.object({ workspaceId: id, exportId: id }),
});
export type ExportRequested = z.infer<typeof exportRequested.schema>;

/** Apply (or dry-run) one workspace's retention policy; the daily cron fans these out. */
export const retentionRequested = eventType("lifecycle/retention.requested", {
  schema: z.object({ workspaceId: id, runId: id }),
});
export type RetentionRequested = z.infer<typeof retentionRequested.schema>;

/** Move a campaign's rows to cold storage (`archive-campaign`), or bring them back (`restore-archive`). */
export const archiveRequested = eventType("lifecycle/archive.requested", {
  schema: z.object({ workspaceId: id, archiveId: id }),
});
export type ArchiveRequested = z.infer<typeof archiveRequested.schema>;

export const archiveRestoreRequested = eventType("lifecycle/archive-restore.requested", {
  schema: z.object({ workspaceId: id, archiveId: id }),
});
export type ArchiveRestoreRequested = z.infer<typeof archiveRestoreRequested.schema>;

/** A backup row was recorded (the schedule, the dashboard's Backups page); `run-backup` takes it. Backups are global: no workspace API key starts one. */
export const backupRequested = eventType("lifecycle/backup.requested", {
  schema: z.object({ backupId: id }),
});
export type BackupRequested = z.infer<typeof backupRequested.schema>;

/**
 * A date automation's send time has come in one zone (plan-date-automations, every 15 minutes):
 * send-date-automation sends to the zone's contacts whose date it is on `localDate`. The event id
 * is `date-automation-<automation>-<updated_at ms>-<zone>-<localDate>`, so the plan firing again
 * that day starts no second run (until the automation is resumed or edited); the once-a-year
 * claim (date_automation_sends) holds even past that.
 */
export const dateAutomationDue = eventType("automation/date.due", {
  schema: z.object({ workspaceId: id, automationId: id, zone: z.string().min(1), localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
});
export type DateAutomationDue = z.infer<typeof dateAutomationDue.schema>;

/**
 * A custom event about a contact was recorded (`POST /api/v1/events`, e.g. `purchase`); the
 * Inngest event id is `contact-event-<workspace>-<eventId>`, so a retried request emits it once.
 * Journeys start on it, wait for it (`step.waitForEvent`, matched on contactId and name) and
 * exit on it (`cancelOn`). The properties stay in contact_events, read by id.
 */
export const contactEventReceived = eventType("contact/event.received", {
  schema: z.object({ workspaceId: id, contactId: id, name: z.string().min(1), contactEventId: z.number().int().positive() }),
});
export type ContactEventReceived = z.infer<typeof contactEventReceived.schema>;

/**
 * A contact entered a journey: starts its one durable run (run-journey-enrollment). The id is
 * `journey-enrollment-<enrollmentId>`, so a replayed enrollment starts no second run.
 * `goalEventName` is the running version's goal, for `cancelOn` (null: none).
 */
export const journeyEnrollmentStarted = eventType("journey/enrollment.started", {
  schema: z.object({ workspaceId: id, journeyId: id, enrollmentId: id, contactId: id, goalEventName: z.string().nullable() }),
});
export type JourneyEnrollmentStarted = z.infer<typeof journeyEnrollmentStarted.schema>;

/** A paused journey was resumed: enrollments held at their next step go on. */
export const journeyResumed = eventType("journey/journey.resumed", {
  schema: z.object({ workspaceId: id, journeyId: id }),
});
export type JourneyResumed = z.infer<typeof journeyResumed.schema>;

/**
 * Enroll the members of a segment-triggered journey's segment in this version: one
 * enroll-journey-segment run pages through them. Id `journey-segment-<journeyId>-v<version>`.
 */
export const journeySegmentEnrollmentRequested = eventType("journey/segment-enrollment.requested", {
  schema: z.object({ workspaceId: id, journeyId: id, version: z.number().int().positive() }),
});
export type JourneySegmentEnrollmentRequested = z.infer<typeof journeySegmentEnrollmentRequested.schema>;

/**
 * Re-evaluate a live segment-triggered version's segment (plan-journey-segments, every 15
 * minutes): one evaluate-journey-segment run pages through the members, enrolls those that
 * entered since the last evaluation and forgets those that left. Id
 * `journey-segment-eval-<journeyId>-v<version>-<15-minute slot>`, so a replayed plan starts no second run.
 */
export const journeySegmentEvaluationRequested = eventType("journey/segment-evaluation.requested", {
  schema: z.object({ workspaceId: id, journeyId: id, version: z.number().int().positive() }),
});
export type JourneySegmentEvaluationRequested = z.infer<typeof journeySegmentEvaluationRequested.schema>;

/**
 * A date-triggered journey's local hour has come in one zone (plan-date-automations plans these
 * beside the date automations' own): enroll-journey-date enrolls the zone's contacts whose date it
 * is on `localDate`. Id `journey-date-<journey>-v<version>-<zone>-<localDate>`; the once-a-year
 * trigger key (`date-<journey>-<year>`) holds even past that.
 */
export const journeyDateDue = eventType("journey/date.due", {
  schema: z.object({ workspaceId: id, journeyId: id, version: z.number().int().positive(), zone: z.string().min(1), localDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
});
export type JourneyDateDue = z.infer<typeof journeyDateDue.schema>;
