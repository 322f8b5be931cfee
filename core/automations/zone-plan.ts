import { effectiveZone, formatLocalDate, type LocalDate, type SendTime, zoneSendDue } from "./date-schedule";

/** The contacts of one effective zone: the stored zones that resolve to it, and whether contacts without a zone do. */
export type ZoneGroup = { zone: string; stored: string[]; includesNone: boolean };

/**
 * Groups a workspace's stored contact zones by the zone their sends follow: a contact's own when
 * the runtime knows it, the workspace's when it has none (or an unknown one). One group per
 * effective zone, in zone order, so the plan's output is the same for the same input.
 */
export function zoneGroups(stored: (string | null)[], workspaceZone: string): ZoneGroup[] {
  const groups = new Map<string, ZoneGroup>();
  for (const zone of stored) {
    const effective = effectiveZone(zone, workspaceZone);
    const group = groups.get(effective) ?? { zone: effective, stored: [], includesNone: false };
    if (zone === null) group.includesNone = true;
    else if (!group.stored.includes(zone)) group.stored.push(zone);
    groups.set(effective, group);
  }
  return [...groups.values()].map((group) => ({ ...group, stored: group.stored.sort() })).sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
}

/** A zone whose local day has reached the send time: one sender run per (automation, zone, local date). */
export type DueZone = { zone: string; localDate: string };

/** The zones of `groups` where the send time has come today (local), with that local day. */
export function dueZones(groups: ZoneGroup[], time: SendTime, now: Date): DueZone[] {
  return groups.flatMap((group) => {
    const { localDate, due } = zoneSendDue(now, time, group.zone);
    return due ? [{ zone: group.zone, localDate: formatLocalDate(localDate) }] : [];
  });
}

/**
 * The event id of a zone's send: the same automation (as last changed), zone and local day is one
 * run, however often the plan fires. `version` is the automation's last change (updated_at, ms):
 * resumed or edited the same day, it is asked for again, and the once-a-year claims keep the
 * contacts already sent from a second message.
 */
export const dueEventId = (automationId: string, version: number, due: DueZone) => `date-automation-${automationId}-${version}-${due.zone}-${due.localDate}`;

/** The messageId (idempotency key) of a contact's send in a year: a replay finds the same message. */
export const dateSendMessageKey = (automationId: string, contactId: string, year: number) => `date-automation:${automationId}:${contactId}:${year}`;

export type { LocalDate };

/**
 * The event id of a date-triggered journey's zone: the journey (version, and last change — a
 * resume the same day asks again), zone and local day is one run however often the plan fires.
 */
export const journeyDueEventId = (journeyId: string, version: number, changedAt: number, due: DueZone) => `journey-date-${journeyId}-v${version}-${changedAt}-${due.zone}-${due.localDate}`;

/** The trigger key of a date-triggered enrollment: one per journey, contact and year, whatever the version or re-entry rule. */
export const journeyDateKey = (journeyId: string, year: number) => `date-${journeyId}-${year}`;
