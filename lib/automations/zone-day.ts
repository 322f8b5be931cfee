import { formatLocalDate, type SendTime, zoneSendDue } from "@/core/automations/date-schedule";
import type { Db } from "@/db";
import { workspaceZoneGroups } from "./workspace-zone-groups";

export type ZoneDay = { send: false; reason: "expired" } | { send: true; stored: string[]; includesNone: boolean };

/**
 * Whether a zone's run (planned for `localDate` at `time`) may still go now, and which stored
 * zones it covers: a run that starts after the zone's local day has ended does nothing (expired),
 * the day belongs to the date. Shared by send-date-automation and enroll-journey-date.
 */
export async function zoneDay(db: Db, params: { workspaceId: string; zone: string; localDate: string; time: SendTime; now: Date }): Promise<ZoneDay> {
  const { localDate: today, due } = zoneSendDue(params.now, params.time, params.zone);
  if (formatLocalDate(today) !== params.localDate || !due) return { send: false, reason: "expired" };
  const group = (await workspaceZoneGroups(db, params.workspaceId)).find((g) => g.zone === params.zone);
  return { send: true, stored: group?.stored ?? [], includesNone: group?.includesNone ?? false };
}
