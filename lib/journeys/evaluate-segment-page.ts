import { bulkReentry } from "@/core/journeys/reentry";
import type { Db } from "@/db";
import { recordSegmentMembers } from "@/db/queries/journey-segment-members";
import { insertEnrollmentsBulk } from "@/db/queries/journeys";
import { selectSegmentContactIds } from "@/db/queries/segments";
import { loadSegmentJourney } from "./load-segment-journey";
import { SEGMENT_ENROLL_PAGE_SIZE } from "./enroll-segment-page";

export type EvaluationPage =
  | { stopped: string }
  | { enrolled: { id: string; contactId: string }[]; entered: number; goalEventName: string | null; nextAfterId: string | null; scanned: number };

/**
 * One page of a live segment-triggered version's re-evaluation (evaluate-journey-segment): the
 * next `pageSize` members after `afterId` (keyset on contact id) are stamped as seen at `stamp`;
 * those the version had not seen (entering the segment since the last evaluation, or coming
 * back after leaving) are enrolled in bulk under the re-entry rule — in one transaction, so a
 * page that failed recorded nothing and a retried page that had committed finds the same
 * entrants (their `enteredAt` is this stamp) and returns their enrollments again. The trigger
 * key names the evaluation, so each entry is its own enrollment.
 */
export async function evaluateSegmentPage(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; afterId: string | null; stamp: Date; now: Date; pageSize?: number },
): Promise<EvaluationPage> {
  const loaded = await loadSegmentJourney(db, params);
  if ("stopped" in loaded) return loaded;
  const { graph } = loaded;
  const pageSize = params.pageSize ?? SEGMENT_ENROLL_PAGE_SIZE;
  const contactIds = await selectSegmentContactIds(db, { workspaceId: params.workspaceId, filter: loaded.filter, afterId: params.afterId, limit: pageSize });
  const { entrants, enrolled } = await db.transaction(async (tx) => {
    const entrants = await recordSegmentMembers(tx, { journeyId: params.journeyId, version: params.version, contactIds, stamp: params.stamp });
    const enrolled = await insertEnrollmentsBulk(tx, {
      workspaceId: params.workspaceId,
      journeyId: params.journeyId,
      version: params.version,
      contactIds: entrants,
      trigger: { kind: "segment", name: null, properties: { segmentId: loaded.segmentId }, key: `segment-${params.journeyId}-v${params.version}-${params.stamp.getTime()}` },
      startStepId: graph.start!,
      reentry: bulkReentry(graph.reentry, params.now),
      now: params.now,
    });
    return { entrants, enrolled };
  });
  return {
    enrolled,
    entered: entrants.length,
    goalEventName: graph.goal?.eventName ?? null,
    nextAfterId: contactIds.length === pageSize ? contactIds.at(-1)! : null,
    scanned: contactIds.length,
  };
}
