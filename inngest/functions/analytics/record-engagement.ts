import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { engagementObserved } from "@/inngest/events";
import { type EngagementFact, recordEngagement as record } from "@/lib/analytics/record-engagement";

/** Events per run: one transaction of up to 100 rows keeps the stream at ≤ 2 executions per 100 loads. */
export const ENGAGEMENT_BATCH_SIZE = 100;

/**
 * Writes what the tracking routes observed, a batch per run and ONE step per batch: a flood of
 * pixel loads becomes a few transactions instead of a database write per request. The event's
 * observation id is the stored event's dedupe key, so a replayed run (or a resent event) appends
 * and counts nothing twice. Which workspace, campaign and contact an event belongs to, and whether
 * it came too soon to be a person, is decided from the message row inside recordEngagement.
 * Not keyed by workspace: the routes only know a message id, and recordEngagement reads each
 * message's own workspace.
 */
export const recordEngagement = inngest.createFunction(
  {
    id: "record-engagement",
    triggers: [engagementObserved],
    batchEvents: { maxSize: ENGAGEMENT_BATCH_SIZE, timeout: "1s" },
    retries: 5,
  },
  async ({ events, step, logger }) => {
    const facts: EngagementFact[] = events.map(({ data }) => ({
      messageId: data.messageId,
      type: data.type,
      source: data.source,
      occurredAt: new Date(data.occurredAt),
      dedupeKey: `tracking-${data.observationId}`,
      machine: data.machine,
      url: data.url,
      client: data.client,
      device: data.device,
      os: data.os,
    }));
    const summary = await step.run("record-batch", async () => ({ events: events.length, ...(await record((await getDatabase()).db, facts)) }));
    // Events for messages that are gone (retention, erasure) are dropped; say how many.
    if (summary.unknownMessages > 0) logger.info({ ...summary }, "engagement: events for unknown messages skipped");
    return summary;
  },
);
