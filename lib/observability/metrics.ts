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
    deadLetters: new Counter({
      name: "sendline_dead_letters_total",
      help: "Messages that entered the dead letters (dead_lettered: retries ran out) or left them (retried: queued again), by channel",
      labelNames: ["channel", "event"] as const,
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
    webhookEvents: new Counter({
      name: "sendline_webhook_events_total",
      help: "Provider webhooks received after their signature was verified: accepted, duplicate (a redelivery), emit_failed (answered 503)",
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
