import type { SendTime } from "@/core/automations/date-schedule";
import { dueZones, type DueZone, type ZoneGroup } from "@/core/automations/zone-plan";
import type { Db } from "@/db";
import { workspaceZoneGroups } from "./workspace-zone-groups";

/** Anything sent on contacts' dates at a local time: a date automation, a date-triggered journey. */
export type DateSchedule = { workspaceId: string; time: SendTime };

/**
 * The zones where each schedule's local time has come today: what plan-date-automations asks a
 * run for, for date automations and date-triggered journeys alike. Zone groups are read once per
 * workspace, shared through `cache` across the plan's pages.
 */
export async function planDueZones<T extends DateSchedule>(db: Db, schedules: T[], now: Date, cache: Map<string, ZoneGroup[]>): Promise<{ schedule: T; due: DueZone }[]> {
  const planned: { schedule: T; due: DueZone }[] = [];
  for (const schedule of schedules) {
    let groups = cache.get(schedule.workspaceId);
    if (!groups) {
      groups = await workspaceZoneGroups(db, schedule.workspaceId);
      cache.set(schedule.workspaceId, groups);
    }
    for (const due of dueZones(groups, schedule.time, now)) planned.push({ schedule, due });
  }
  return planned;
}
