import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every Prometheus series Sendline exposes (`GET /api/metrics`), defined once. Names carry their
 * unit (`_seconds`, `_total`); labels are small closed sets (channel, provider, function, step
 * with its numbers folded, outcome) so a busy workspace never multiplies the series.
 *
 * Counters and histograms count what this process did since it started (Prometheus sums the
 * instances); the `sendline_campaign_*` and `sendline_import_*` gauges are read from the
 * database at scrape time and are the same on every instance (aggregate them with max()).
 */
function define(registry: Registry) {
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: "sendline_messages_total",
      help: "Messages handed to a provider, by channel, provider and outcome (sent, failed)",
      labelNames: ["channel", "provider", "status"] as const,
      registers,
    }),
    preferenceBlocks: new Counter({
      name: "sendline_preference_blocks_total",
      help: "Messages not sent because of the contact's preferences (ended suppressed), by channel and path (notification, campaign)",
      labelNames: ["channel", "path"] as const,
      registers,
    }),
    deliveryRules: new Counter({
      name: "sendline_delivery_rules_total",
      help: "What the delivery rules did to notifications, by rule (quiet_hours_held, released, capped, digested, digest_sent, plan_step_sent, plan_step_skipped, plan_engaged) and channel",
      labelNames: ["rule", "channel"] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: "sendline_dead_letters_total",
      help: "Messages that entered the dead letters (dead_lettered: retries ran out) or left them (retried: queued again), by channel",
      labelNames: ["channel", "event"] as const,
      registers,
    }),
    analyticsReadDuration: new Histogram({
      name: "sendline_analytics_read_seconds",
      help: "Time to read one analytics view from the rollups (series, funnel, links, domains, heat map), by view (workspace, campaign)",
      labelNames: ["view"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    providerRequestDuration: new Histogram({
      name: "sendline_provider_request_duration_seconds",
      help: "Provider calls (send, send_batch, get_status) by channel, provider and outcome (ok or the failure kind)",
      labelNames: ["channel", "provider", "operation", "outcome"] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    providerBatchSize: new Histogram({
      name: "sendline_provider_batch_size",
      help: "Messages per batch provider call (campaign parts and transactional batches), by channel and provider: how well sends are batched",
      labelNames: ["channel", "provider"] as const,
      buckets: [1, 2, 5, 10, 25, 50, 75, 100],
      registers,
    }),
    pushDeviceResults: new Counter({
      name: "sendline_push_device_results_total",
      help: "What each device's push service answered, by provider and result (accepted, expired, rate_limited, transient, permanent)",
      labelNames: ["provider", "result"] as const,
      registers,
    }),
    engagementEvents: new Counter({
      name: "sendline_engagement_events_total",
      help: "Events appended to the engagement stream (replays and redeliveries not counted again), by type, source and kind (human, machine)",
      labelNames: ["type", "source", "kind"] as const,
      registers,
    }),
    contactEvents: new Counter({
      name: "sendline_contact_events_total",
      help: "Custom events posted to /api/v1/events, by outcome (recorded, duplicate: its id was already recorded, contact_not_found, invalid: the request was refused, queue_unavailable: recorded but not queued)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    trackingDropped: new Counter({
      name: "sendline_tracking_dropped_total",
      help: "Tracking pixel loads and link follows answered but not recorded because their IP or token passed the flood limit, by route (pixel, redirect) and limit (ip, token)",
      labelNames: ["source", "limit"] as const,
      registers,
    }),
    providerErrors: new Counter({
      name: "sendline_provider_errors_total",
      help: "Failed provider calls by kind: rate_limited (429), permanent, transient, unknown",
      labelNames: ["channel", "provider", "kind"] as const,
      registers,
    }),
    providerRateLimits: new Counter({
      name: "sendline_provider_rate_limits_total",
      help: "Provider calls answered with a rate limit (HTTP 429 or the provider's equivalent)",
      labelNames: ["channel", "provider"] as const,
      registers,
    }),
    providerFailovers: new Counter({
      name: "sendline_provider_failovers_total",
      help: "Sends that went to a later provider of the channel's list because an earlier one was open or certainly refused them",
      labelNames: ["channel", "from", "to"] as const,
      registers,
    }),
    providerBreakerTransitions: new Counter({
      name: "sendline_provider_breaker_transitions_total",
      help: "Circuit breaker changes this process caused, by the state entered (open, closed)",
      labelNames: ["channel", "provider", "state"] as const,
      registers,
    }),
    providerBreakerState: new Gauge({
      name: "sendline_provider_breaker_state",
      help: "Each configured provider's circuit breaker: 0 closed, 1 half-open, 2 open (read from the database at scrape time)",
      labelNames: ["channel", "provider"] as const,
      registers,
    }),
    seals: new Counter({
      name: "sendline_seals_total",
      help: "Campaign metric seals: sealed (a new seal in the chain), existing (already sealed, a re-run), refused (no signing key), rooted (put in a daily Merkle root)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    archives: new Counter({
      name: "sendline_archives_total",
      help: "Campaign archives by operation (archive, restore, scrub) and outcome (done, failed)",
      labelNames: ["operation", "outcome"] as const,
      registers,
    }),
    archiveRows: new Counter({
      name: "sendline_archive_rows_total",
      help: "Rows moved by campaign archives, by table and direction (archived: to cold storage and deleted; restored: inserted back; scrubbed: removed from the files)",
      labelNames: ["table", "direction"] as const,
      registers,
    }),
    archiveBytes: new Counter({
      name: "sendline_archive_bytes_total",
      help: "Compressed bytes of archive files, by direction (written, restored: read back into the database)",
      labelNames: ["direction"] as const,
      registers,
    }),
    erasures: new Counter({
      name: "sendline_erasures_total",
      help: "Erasures by subject (contact, workspace) and event: requested (hidden, the recovery window opens), restored (undone within it), executed (erased for good)",
      labelNames: ["subject", "event"] as const,
      registers,
    }),
    erasureRecoveryEmails: new Counter({
      name: "sendline_erasure_recovery_emails_total",
      help: "Recovery emails by outcome: requested (asked for, by an erasure or a resend), sent, no_address (the contact has no email); requested minus the others were limited (ERASURE_RECOVERY_EMAILS_PER_DAY) or came after the window",
      labelNames: ["outcome"] as const,
      registers,
    }),
    dateAutomationSends: new Counter({
      name: "sendline_date_automation_sends_total",
      help: "Date automations' sends by outcome: queued (a message on the ordinary send path), skipped (the contact has no address for the channel), paused (the template or category went away: the automation paused), expired (a zone's run came after its local day ended)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    abWinners: new Counter({
      name: "sendline_ab_winners_total",
      help: "A/B test winners recorded, by source (campaign, journey: a journey's send step), metric (opens, clicks, goal), who picked it (window, manual) and significant (yes: p < 0.05, no)",
      labelNames: ["source", "metric", "decided_by", "significant"] as const,
      registers,
    }),
    emailAssets: new Counter({
      name: "sendline_email_assets_total",
      help: "Images uploaded for email templates, by result (created, duplicate: the workspace had these optimised bytes already, unsupported, too_large, too_many_pixels, unreadable)",
      labelNames: ["result"] as const,
      registers,
    }),
    emailAssetBytes: new Counter({
      name: "sendline_email_asset_bytes_total",
      help: "Bytes of stored email images, by stage (original: as uploaded, optimised: as stored)",
      labelNames: ["stage"] as const,
      registers,
    }),
    emailAssetBytesSaved: new Counter({
      name: "sendline_email_asset_bytes_saved_total",
      help: "Bytes optimisation took off stored email images (original minus optimised, when smaller): what every recipient no longer downloads",
      registers,
    }),
    dateAutomationZonesPlanned: new Counter({
      name: "sendline_date_automation_zones_planned_total",
      help: "Zone runs the date-automation plan asked for (one per automation, zone and local day; a repeat of the same one starts nothing)",
      registers,
    }),
    aiRequests: new Counter({
      name: "sendline_ai_requests_total",
      help: "Recommendations answered, by kind, source (openai, heuristic) and outcome (answered, cached, offline, over_budget, refused, malformed, rate_limited, unavailable, rejected)",
      labelNames: ["kind", "source", "outcome"] as const,
      registers,
    }),
    aiTokens: new Counter({
      name: "sendline_ai_tokens_total",
      help: "Tokens spent on recommendations as the model's API reported them, by kind and type (prompt, completion)",
      labelNames: ["kind", "type"] as const,
      registers,
    }),
    webhookEvents: new Counter({
      name: "sendline_webhook_events_total",
      help: "Provider webhooks received after their signature was verified: accepted, duplicate (a redelivery), emit_failed (answered 503); rate_limited: refused 429 before verification (WEBHOOK_REQUESTS_PER_SECOND_PER_IP)",
      labelNames: ["provider", "outcome"] as const,
      registers,
    }),
    webhooksProcessed: new Counter({
      name: "sendline_webhooks_processed_total",
      help: "Stored webhooks applied by their batch function, by provider and outcome (applied, unknown_message, invalid_payload)",
      labelNames: ["provider", "outcome"] as const,
      registers,
    }),
    functionRuns: new Counter({
      name: "sendline_function_runs_total",
      help: "Inngest function runs that finished here, by function and outcome (completed, failed)",
      labelNames: ["function", "outcome"] as const,
      registers,
    }),
    functionStepDuration: new Histogram({
      name: "sendline_function_step_duration_seconds",
      help: "Each attempt of a step.run/step.sendEvent handler, by function, step (numbers folded to N) and outcome (ok, error)",
      labelNames: ["function", "step", "outcome"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    }),
    functionRetries: new Counter({
      name: "sendline_function_retries_total",
      help: "Retried attempts: a step run again after an error (step set), or function code outside steps (step empty)",
      labelNames: ["function", "step"] as const,
      registers,
    }),
    functionQueueLag: new Histogram({
      name: "sendline_function_queue_lag_seconds",
      help: "From the triggering event's timestamp to the run's first call into this app, by function",
      labelNames: ["function"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    }),
    campaignGuardPauses: new Counter({
      name: "sendline_campaign_guard_pauses_total",
      help: "Sending campaigns paused by the guard, by reason (complaint_rate, hard_bounce_rate; a pause for both counts once under each)",
      labelNames: ["reason"] as const,
      registers,
    }),
    backups: new Counter({
      name: "sendline_backups_total",
      help: "Logical database backups by outcome (completed, failed, expired: its files deleted by retention)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    backupBytes: new Counter({
      name: "sendline_backup_bytes_total",
      help: "Compressed bytes written to file storage by completed backups",
      registers,
    }),
    backupDuration: new Histogram({
      name: "sendline_backup_duration_seconds",
      help: "How long a completed backup took to dump every table",
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    backupLastSuccess: new Gauge({
      name: "sendline_backup_last_success_timestamp_seconds",
      help: "When the newest completed backup finished, in Unix seconds (read from the database at scrape time; alert when time() minus this exceeds a day and a bit)",
      registers,
    }),
    mailboxMessages: new Counter({
      name: "sendline_mailbox_messages_total",
      help: "Mailbox messages read by this process, by result (stored, duplicate, skipped)",
      labelNames: ["result"] as const,
      registers,
    }),
    mailboxSyncPages: new Counter({
      name: "sendline_mailbox_sync_pages_total",
      help: "Pages of synced mailboxes read by this process, by kind (imap, gmail), mode (backfill, incremental) and outcome (more, complete, raced, reconnect, error, failed, and the connection's stopped states)",
      labelNames: ["kind", "mode", "outcome"] as const,
      registers,
    }),
    mailboxContacts: new Counter({
      name: "sendline_mailbox_contacts_total",
      help: "Contacts extracted from mailboxes by this process, by outcome (created, updated)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    relationshipAnalyses: new Counter({
      name: "sendline_relationship_analyses_total",
      help: "Workspace relationship recomputes (analyse-relationships runs) finished by this process",
      registers,
    }),
    relationshipsScored: new Counter({
      name: "sendline_relationships_scored_total",
      help: "Contacts whose relationship a recompute scored (contacts the mailbox names), by this process",
      registers,
    }),
    relationshipSummaries: new Counter({
      name: "sendline_relationship_summaries_total",
      help: "Relationship summaries asked by this process, by source (openai, heuristic) and outcome (answered, cached, offline, over_budget, throttled, refused, malformed, rate_limited, unavailable, rejected)",
      labelNames: ["source", "outcome"] as const,
      registers,
    }),
    exports: new Counter({
      name: "sendline_exports_total",
      help: "Data exports finished by this process, by subject (contact, workspace) and status (ready, failed)",
      labelNames: ["subject", "status"] as const,
      registers,
    }),
    exportRows: new Counter({
      name: "sendline_export_rows_total",
      help: "Rows written into ready data exports, by subject",
      labelNames: ["subject"] as const,
      registers,
    }),
    exportBytes: new Counter({
      name: "sendline_export_bytes_total",
      help: "Bytes of ready data exports' zips, by subject",
      labelNames: ["subject"] as const,
      registers,
    }),
    exportDuration: new Histogram({
      name: "sendline_export_duration_seconds",
      help: "From an export's request to its zip being ready (or its failure), by subject and status",
      labelNames: ["subject", "status"] as const,
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    }),
    campaigns: new Gauge({
      name: "sendline_campaigns",
      help: "Campaigns by status (read from the database at scrape time)",
      labelNames: ["status"] as const,
      registers,
    }),
    campaignRecipients: new Gauge({
      name: "sendline_campaign_recipients",
      help: "Recipients of campaigns being sent now, by status (pending, sent, suppressed, failed): the progress of active sends",
      labelNames: ["status"] as const,
      registers,
    }),
    retentionRows: new Counter({
      name: "sendline_retention_rows_total",
      help: "Rows retention policies touched, by target (anonymisedContacts, messageBodies, outboxBodies, webhookPayloads, importErrors, importStaging, campaignChunks, digestItems)",
      labelNames: ["target"] as const,
      registers,
    }),
    retentionRuns: new Counter({
      name: "sendline_retention_runs_total",
      help: "Retention policy runs finished, by status (completed, failed)",
      labelNames: ["status"] as const,
      registers,
    }),
    temporaryFilesRemoved: new Counter({
      name: "sendline_temporary_files_removed_total",
      help: "Temporary files the hourly cleanup removed, by kind (import_upload, export, storage_partial, s3_download)",
      labelNames: ["kind"] as const,
      registers,
    }),
    temporaryBytesRemoved: new Counter({
      name: "sendline_temporary_bytes_removed_total",
      help: "Bytes of the temporary files the hourly cleanup removed, by kind (import_upload, export, storage_partial, s3_download)",
      labelNames: ["kind"] as const,
      registers,
    }),
    journeySegmentTransitions: new Counter({
      name: "sendline_journey_segment_transitions_total",
      help: "Contacts a live segment-triggered journey's re-evaluation found entering its segment (entered) or gone from it (left)",
      labelNames: ["direction"] as const,
      registers,
    }),
    journeyEnrollments: new Counter({
      name: "sendline_journey_enrollments_total",
      help: "Journey enrollments by outcome: enrolled, already_active (in it now), reentry_blocked (the re-entry rule said no), not_eligible (erased or unsubscribed contact)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    journeySteps: new Counter({
      name: "sendline_journey_steps_total",
      help: "Journey steps taken, by step type and outcome (passed, held: the journey is paused, exited)",
      labelNames: ["type", "outcome"] as const,
      registers,
    }),
    journeyExits: new Counter({
      name: "sendline_journey_exits_total",
      help: "Journey enrollments ended, by status (completed, exited, failed) and reason (goal, unsubscribed, erased, archived, completed, step_limit, error)",
      labelNames: ["status", "reason"] as const,
      registers,
    }),
    imports: new Gauge({
      name: "sendline_imports",
      help: "Imports by status (read from the database at scrape time)",
      labelNames: ["status"] as const,
      registers,
    }),
    importRows: new Gauge({
      name: "sendline_import_rows",
      help: "Rows of all imports by outcome (processed, inserted, updated, skipped, failed); rate() of processed is import rows/s",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof define>;

// One registry per process: Next may load this module once per route bundle, and the
// /api/inngest route that counts and the /api/metrics route that reports must share it.
const METRICS_KEY = Symbol.for("sendline.observability.metrics");
const holder = globalThis as { [METRICS_KEY]?: Metrics };

export function metrics(): Metrics {
  let current = holder[METRICS_KEY];
  if (!current) {
    const registry = new Registry();
    // CPU, memory, event-loop lag and GC of the process, under Prometheus' usual names.
    collectDefaultMetrics({ register: registry });
    current = holder[METRICS_KEY] = define(registry);
  }
  return current;
}

/** Step ids with a number in them (`send-part-12`) are one series, not one per number. */
export function stepLabel(stepId: string): string {
  return stepId.replace(/\d+/g, "N");
}
