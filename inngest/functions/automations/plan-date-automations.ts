import { dueEventId, journeyDueEventId, type ZoneGroup } from "@/core/automations/zone-plan";
import { journeyTrigger } from "@/core/journeys/graph";
import { getDatabase } from "@/db";
import { listActiveDateAutomations } from "@/db/queries/date-automations";
import { listLiveJourneysByTrigger } from "@/db/queries/journeys";
import { inngest } from "@/inngest/client";
import { dateAutomationDue, journeyDateDue } from "@/inngest/events";
import { planDueZones } from "@/lib/automations/plan-due-zones";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Active automations (or date-triggered journeys) per page: one step plans them, one send fans their zones out. */
export const DATE_PLAN_PAGE = 200;

/**
 * Every 15 minutes (UTC): for each active date automation, and each live journey with a date
 * trigger, the zones its workspace's contacts live in (the workspace's delivery-settings zone for
 * those without one) whose local time has reached the send time today, one
 * `automation/date.due` (or `journey/date.due`) per (automation or journey, zone, local date).
 * The event id is deterministic (automation or journey as last changed, zone, local day), so the
 * plan firing again that day (every 15 minutes until the zone's midnight) starts no second run,
 * while a run that was missed or late — or one resumed that day — is still asked for until the
 * day ends. The plan reads the app's clock in its step, never SQL now().
 */
export const planDateAutomations = inngest.createFunction(
  { id: "plan-date-automations", triggers: [{ cron: "TZ=UTC */15 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: string | undefined;
    let planned = 0;
    for (let page = 0; ; page++) {
      const found = await step.run(`plan-page-${page}`, async () => {
        const { db } = await getDatabase();
        const automations = await listActiveDateAutomations(db, { after, limit: DATE_PLAN_PAGE });
        const schedules = automations.map((automation) => ({ workspaceId: automation.workspaceId, time: { hour: automation.sendHour, minute: automation.sendMinute }, automation }));
        const due = (await planDueZones(db, schedules, new Date(), new Map<string, ZoneGroup[]>())).map(({ schedule: { automation }, due: zone }) => ({
          workspaceId: automation.workspaceId,
          automationId: automation.id,
          ...zone,
          id: dueEventId(automation.id, automation.updatedAt.getTime(), zone),
        }));
        return { due, count: automations.length, last: automations.at(-1)?.id ?? null };
      });
      if (found.due.length > 0) {
        await step.sendEvent(
          `request-zones-${page}`,
          found.due.map(({ id, ...data }) => dateAutomationDue.create(data, { id })),
        );
      }
      planned += found.due.length;
      if (found.count < DATE_PLAN_PAGE || !found.last) break;
      after = found.last;
    }
    let afterJourney: string | null = null;
    for (let page = 0; ; page++) {
      const found = await step.run(`plan-journeys-page-${page}`, async () => {
        const { db } = await getDatabase();
        const journeys = await listLiveJourneysByTrigger(db, { type: "date", after: afterJourney, limit: DATE_PLAN_PAGE });
        const schedules = journeys.flatMap((journey) => {
          const trigger = journeyTrigger.safeParse((journey.graph as { trigger?: unknown }).trigger);
          return trigger.success && trigger.data.type === "date" ? [{ workspaceId: journey.workspaceId, time: { hour: trigger.data.hour, minute: trigger.data.minute }, journey }] : [];
        });
        const due = (await planDueZones(db, schedules, new Date(), new Map<string, ZoneGroup[]>())).map(({ schedule: { journey }, due: zone }) => ({
          workspaceId: journey.workspaceId,
          journeyId: journey.journeyId,
          version: journey.version,
          ...zone,
          id: journeyDueEventId(journey.journeyId, journey.version, journey.updatedAt.getTime(), zone),
        }));
        return { due, count: journeys.length, last: journeys.at(-1)?.journeyId ?? null };
      });
      if (found.due.length > 0) {
        await step.sendEvent(
          `request-journey-zones-${page}`,
          found.due.map(({ id, ...data }) => journeyDateDue.create(data, { id })),
        );
      }
      planned += found.due.length;
      if (found.count < DATE_PLAN_PAGE || !found.last) break;
      afterJourney = found.last;
    }
    metrics().dateAutomationZonesPlanned.inc(planned);
    logger.info({ planned }, "date automations: zones planned");
    return { planned };
  },
);
