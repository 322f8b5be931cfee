import { dueEventId, dueZones, zoneGroups } from "@/core/automations/zone-plan";
import { getDatabase } from "@/db";
import { listActiveDateAutomations, listContactZones } from "@/db/queries/date-automations";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import { inngest } from "@/inngest/client";
import { dateAutomationDue } from "@/inngest/events";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/** Active automations per page: one step plans them, one send fans their zones out. */
export const DATE_PLAN_PAGE = 200;

/**
 * Every 15 minutes (UTC): for each active date automation, the zones its workspace's contacts
 * live in (the workspace's delivery-settings zone for those without one) whose local time has
 * reached the send time today, one `automation/date.due` per (automation, zone, local date).
 * The event id is deterministic (automation as last changed, zone, local day), so the plan firing
 * again that day (every 15 minutes until the zone's midnight) starts no second run, while a run
 * that was missed or late — or an automation resumed that day — is still asked for until the day
 * ends. The plan reads the app's clock in its step, never SQL now().
 */
export const planDateAutomations = inngest.createFunction(
  { id: "plan-date-automations", triggers: [{ cron: "TZ=UTC */15 * * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    let after: string | undefined;
    let planned = 0;
    for (let page = 0; ; page++) {
      const found = await step.run(`plan-page-${page}`, async () => {
        const { db } = await getDatabase();
        const now = new Date();
        const automations = await listActiveDateAutomations(db, { after, limit: DATE_PLAN_PAGE });
        const groupsOf = new Map<string, ReturnType<typeof zoneGroups>>();
        const due: { workspaceId: string; automationId: string; zone: string; localDate: string; id: string }[] = [];
        for (const automation of automations) {
          let groups = groupsOf.get(automation.workspaceId);
          if (!groups) {
            const settings = await getDeliverySettings(db, { workspaceId: automation.workspaceId });
            groups = zoneGroups(await listContactZones(db, { workspaceId: automation.workspaceId }), settings.timezone);
            groupsOf.set(automation.workspaceId, groups);
          }
          for (const zone of dueZones(groups, { hour: automation.sendHour, minute: automation.sendMinute }, now)) {
            due.push({ workspaceId: automation.workspaceId, automationId: automation.id, ...zone, id: dueEventId(automation.id, automation.updatedAt.getTime(), zone) });
          }
        }
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
    metrics().dateAutomationZonesPlanned.inc(planned);
    logger.info({ planned }, "date automations: zones planned");
    return { planned };
  },
);
