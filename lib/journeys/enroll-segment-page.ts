import { journeyGraph } from "@/core/journeys/graph";
import { readStoredSegmentFilter } from "@/core/segments/segment-filter";
import type { Db } from "@/db";
import { getJourney, getJourneyVersion, insertEnrollmentsBulk } from "@/db/queries/journeys";
import { getSegment, selectSegmentContactIds } from "@/db/queries/segments";

/** Contacts per page: one SELECT of ids, one INSERT … SELECT, one batch of start events (Inngest takes 5,000 per send). */
export const SEGMENT_ENROLL_PAGE_SIZE = 1_000;

export type SegmentPage =
  | { stopped: string }
  | { enrolled: { id: string; contactId: string }[]; goalEventName: string | null; nextAfterId: string | null; scanned: number };

/**
 * One page of a segment's fan-out: the next `pageSize` matching contact ids after `afterId`
 * (keyset on id), enrolled in bulk under the version's re-entry rule. Stops when the journey is
 * no longer active on this version (paused, archived, republished: the new version's own run
 * takes over) or its segment is gone.
 */
export async function enrollSegmentPage(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; afterId: string | null; now: Date; pageSize?: number },
): Promise<SegmentPage> {
  const journey = await getJourney(db, params);
  if (!journey || journey.status !== "active" || journey.publishedVersion !== params.version) return { stopped: "journey not active on this version" };
  const row = await getJourneyVersion(db, params);
  const graph = row ? journeyGraph.parse(row.graph) : undefined;
  if (!graph || graph.trigger.type !== "segment") return { stopped: "not a segment trigger" };
  const segment = await getSegment(db, { workspaceId: params.workspaceId, segmentId: graph.trigger.segmentId });
  const stored = segment ? readStoredSegmentFilter(segment.filter) : undefined;
  if (!stored?.ok) return { stopped: "segment not found or unusable" };
  const pageSize = params.pageSize ?? SEGMENT_ENROLL_PAGE_SIZE;
  const contactIds = await selectSegmentContactIds(db, { workspaceId: params.workspaceId, filter: stored.filter, afterId: params.afterId, limit: pageSize });
  const { reentry } = graph;
  const enrolled = await insertEnrollmentsBulk(db, {
    workspaceId: params.workspaceId,
    journeyId: params.journeyId,
    version: params.version,
    contactIds,
    trigger: { kind: "segment", name: null, properties: { segmentId: graph.trigger.segmentId }, key: `segment-${params.journeyId}-v${params.version}` },
    startStepId: graph.start!,
    reentry: reentry.mode === "after" ? { enteredBefore: new Date(params.now.getTime() - reentry.days * 86_400_000) } : reentry.mode,
    now: params.now,
  });
  return { enrolled, goalEventName: graph.goal?.eventName ?? null, nextAfterId: contactIds.length === pageSize ? contactIds.at(-1)! : null, scanned: contactIds.length };
}
