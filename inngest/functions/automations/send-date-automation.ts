import { parseDateField, parseLocalDate } from "@/core/automations/date-schedule";
import { getDatabase } from "@/db";
import { getDateAutomation, listDateRecipients } from "@/db/queries/date-automations";
import { inngest } from "@/inngest/client";
import { deliveryEvent } from "@/inngest/delivery-event";
import { dateAutomationDue } from "@/inngest/events";
import { sendDatePage } from "@/lib/automations/date-automations";
import { zoneDay } from "@/lib/automations/zone-day";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Contacts per step: claimed, requested and sent as one batch of delivery events. */
export const DATE_SEND_PAGE = 200;

/**
 * Sends a date automation in one zone on one local day: pages through the zone's visible,
 * subscribed contacts whose date it is (29 February on 28 February in other years), claims each
 * (automation, contact, year) in date_automation_sends, and queues its message through the
 * ordinary send path (requestNotification with a deterministic messageId → deliveryPath →
 * deliveryEvent). Once per contact per year however often the plan fires or this event is
 * replayed. A run that starts after the zone's local day has ended sends nothing (expired): the
 * day belongs to the date. Concurrency is keyed per workspace, so one workspace's big birthday
 * day cannot hold every other workspace's sends behind it.
 */
export const sendDateAutomation = inngest.createFunction(
  {
    id: "send-date-automation",
    triggers: [dateAutomationDue],
    concurrency: [{ key: "event.data.workspaceId", limit: 2 }],
    retries: 6,
    onFailure: async ({ event, error }) => {
      metrics().dateAutomationSends.inc({ outcome: "failed" });
      logger.error({ err: error, ...event.data.event.data }, "date automations: a zone's send failed");
    },
  },
  async ({ event, step }) => {
    const { workspaceId, automationId, zone, localDate } = event.data;
    const ids = { workspaceId, automationId, zone, localDate };
    const plan = await step.run("find-zone", async () => {
      const { db } = await getDatabase();
      const automation = await getDateAutomation(db, { workspaceId, automationId });
      if (!automation || automation.status !== "active") return { send: false as const, reason: automation ? "paused" : "deleted" };
      const day = await zoneDay(db, { workspaceId, zone, localDate, time: { hour: automation.sendHour, minute: automation.sendMinute }, now: new Date() });
      if (!day.send) metrics().dateAutomationSends.inc({ outcome: "expired" });
      return day;
    });
    if (!plan.send) {
      logger.info({ ...ids, reason: plan.reason }, "date automations: nothing to send in this zone");
      return { queued: 0, skipped: 0, reason: plan.reason };
    }
    const date = parseLocalDate(localDate)!;
    let after: string | undefined;
    let queued = 0;
    let skipped = 0;
    for (let page = 0; ; page++) {
      const sent = await step.run(`send-page-${page}`, async () => {
        const { db } = await getDatabase();
        const automation = await getDateAutomation(db, { workspaceId, automationId });
        const field = automation && parseDateField(automation.dateField);
        if (!automation || !field) return { queued: [], skipped: 0, paused: null, stopped: true, count: 0, last: null };
        const recipients = await listDateRecipients(db, { workspaceId, field, date, zones: plan, after, limit: DATE_SEND_PAGE });
        const outcome = await sendDatePage(db, { automation, contactIds: recipients.map((r) => r.id), year: date.year, now: new Date() });
        if (outcome.queued.length > 0) metrics().dateAutomationSends.inc({ outcome: "queued" }, outcome.queued.length);
        if (outcome.skipped.length > 0) metrics().dateAutomationSends.inc({ outcome: "skipped" }, outcome.skipped.length);
        if (outcome.paused) {
          metrics().dateAutomationSends.inc({ outcome: "paused" });
          logger.warn({ ...ids, reason: outcome.paused }, "date automations: paused");
        }
        for (const skip of outcome.skipped) logger.info({ ...ids, contactId: skip.contactId, reason: skip.reason }, "date automations: contact skipped");
        return { queued: outcome.queued, skipped: outcome.skipped.length, paused: outcome.paused, stopped: outcome.stopped, count: recipients.length, last: recipients.at(-1)?.id ?? null };
      });
      if (sent.queued.length > 0) await step.sendEvent(`deliver-page-${page}`, sent.queued.map((q) => deliveryEvent(q.path, q.message)));
      queued += sent.queued.length;
      skipped += sent.skipped;
      if (sent.paused) return { queued, skipped, reason: `paused: ${sent.paused}` };
      if (sent.stopped) {
        logger.info({ ...ids, queued, skipped }, "date automations: stopped, the automation is no longer active");
        return { queued, skipped, reason: "not active" };
      }
      if (sent.count < DATE_SEND_PAGE || !sent.last) break;
      after = sent.last;
    }
    logger.info({ ...ids, queued, skipped }, "date automations: zone sent");
    return { queued, skipped };
  },
);
