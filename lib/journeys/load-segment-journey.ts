import { journeyGraph, type JourneyGraph } from "@/core/journeys/graph";
import { readStoredSegmentFilter } from "@/core/segments/segment-filter";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import type { Db } from "@/db";
import { getJourney, getJourneyVersion } from "@/db/queries/journeys";
import { getSegment } from "@/db/queries/segments";

export type SegmentJourney = { stopped: string } | { graph: JourneyGraph; segmentId: string; filter: SegmentFilter };

/**
 * A segment-triggered version that may enroll now, with its segment's filter: stopped when the
 * journey is no longer active on this version (paused, archived, republished: the new version's
 * own runs take over) or its segment is gone. Read again by every page, so a page never enrolls
 * into a journey paused since the page before.
 */
export async function loadSegmentJourney(db: Db, params: { workspaceId: string; journeyId: string; version: number }): Promise<SegmentJourney> {
  const journey = await getJourney(db, params);
  if (!journey || journey.status !== "active" || journey.publishedVersion !== params.version) return { stopped: "journey not active on this version" };
  const row = await getJourneyVersion(db, params);
  const graph = row ? journeyGraph.parse(row.graph) : undefined;
  if (!graph || graph.trigger.type !== "segment") return { stopped: "not a segment trigger" };
  const segment = await getSegment(db, { workspaceId: params.workspaceId, segmentId: graph.trigger.segmentId });
  const stored = segment ? readStoredSegmentFilter(segment.filter) : undefined;
  if (!stored?.ok) return { stopped: "segment not found or unusable" };
  return { graph, segmentId: graph.trigger.segmentId, filter: stored.filter };
}
