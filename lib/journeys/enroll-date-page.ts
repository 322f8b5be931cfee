import { parseDateField, type LocalDate } from "@/core/automations/date-schedule";
import { journeyDateKey } from "@/core/automations/zone-plan";
import { journeyGraph } from "@/core/journeys/graph";
import { bulkReentry } from "@/core/journeys/reentry";
import type { Db } from "@/db";
import { listDateRecipients } from "@/db/queries/date-automations";
import { getJourney, getJourneyVersion, insertEnrollmentsBulk } from "@/db/queries/journeys";
import { SEGMENT_ENROLL_PAGE_SIZE } from "./enroll-segment-page";

export type DatePage =
  | { stopped: string }
  | { enrolled: { id: string; contactId: string }[]; goalEventName: string | null; nextAfterId: string | null; scanned: number };

/**
 * One page of a date-triggered journey's zone on its local day: the next contacts (id order,
 * after `afterId`) of those zones whose date it is — the date automations' recipient query, so
 * year-less dates, 29 February on 28 February and hidden or unsubscribed contacts behave the
 * same — enrolled in bulk. The trigger key names the journey and year and admits one enrollment
 * ever, so a contact enters once a year however often the plan fires or the page is replayed,
 * and a republished version does not enroll it again that year; the re-entry rule applies too.
 */
export async function enrollDatePage(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; date: LocalDate; zones: { stored: string[]; includesNone: boolean }; afterId: string | null; now: Date; pageSize?: number },
): Promise<DatePage> {
  const journey = await getJourney(db, params);
  if (!journey || journey.status !== "active" || journey.publishedVersion !== params.version) return { stopped: "journey not active on this version" };
  const row = await getJourneyVersion(db, params);
  const graph = row ? journeyGraph.parse(row.graph) : undefined;
  const field = graph?.trigger.type === "date" ? parseDateField(graph.trigger.dateField) : null;
  if (!graph || graph.trigger.type !== "date" || !field) return { stopped: "not a date trigger" };
  const pageSize = params.pageSize ?? SEGMENT_ENROLL_PAGE_SIZE;
  const recipients = await listDateRecipients(db, { workspaceId: params.workspaceId, field, date: params.date, zones: params.zones, after: params.afterId ?? undefined, limit: pageSize });
  const contactIds = recipients.map((recipient) => recipient.id);
  const enrolled = await insertEnrollmentsBulk(db, {
    workspaceId: params.workspaceId,
    journeyId: params.journeyId,
    version: params.version,
    contactIds,
    trigger: { kind: "date", name: graph.trigger.dateField, properties: { dateField: graph.trigger.dateField, year: params.date.year }, key: journeyDateKey(params.journeyId, params.date.year) },
    startStepId: graph.start!,
    reentry: bulkReentry(graph.reentry, params.now),
    oncePerKey: true,
    now: params.now,
  });
  return { enrolled, goalEventName: graph.goal?.eventName ?? null, nextAfterId: contactIds.length === pageSize ? contactIds.at(-1)! : null, scanned: contactIds.length };
}
