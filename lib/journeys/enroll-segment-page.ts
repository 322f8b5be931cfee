import { bulkReentry } from "@/core/journeys/reentry";
import type { Db } from "@/db";
import { recordSegmentMembers } from "@/db/queries/journey-segment-members";
import { insertEnrollmentsBulk } from "@/db/queries/journeys";
import { selectSegmentContactIds } from "@/db/queries/segments";
import { loadSegmentJourney } from "./load-segment-journey";

/** Contacts per page: one SELECT of ids, one INSERT … SELECT, one batch of start events (Inngest takes 5,000 per send). */
export const SEGMENT_ENROLL_PAGE_SIZE = 1_000;

export type SegmentPage =
  | { stopped: string }
  | { enrolled: { id: string; contactId: string }[]; goalEventName: string | null; nextAfterId: string | null; scanned: number };

/**
 * One page of a segment's fan-out at publish: the next `pageSize` matching contact ids after
 * `afterId` (keyset on id), enrolled in bulk under the version's re-entry rule, and recorded as
 * the version's known members in the same transaction — so the 15-minute re-evaluation
 * (evaluateSegmentPage) counts only later arrivals as entrants and enrolls nobody twice.
 */
export async function enrollSegmentPage(
  db: Db,
  params: { workspaceId: string; journeyId: string; version: number; afterId: string | null; now: Date; pageSize?: number },
): Promise<SegmentPage> {
  const loaded = await loadSegmentJourney(db, params);
  if ("stopped" in loaded) return loaded;
  const { graph } = loaded;
  const pageSize = params.pageSize ?? SEGMENT_ENROLL_PAGE_SIZE;
  const contactIds = await selectSegmentContactIds(db, { workspaceId: params.workspaceId, filter: loaded.filter, afterId: params.afterId, limit: pageSize });
  const enrolled = await db.transaction(async (tx) => {
    await recordSegmentMembers(tx, { journeyId: params.journeyId, version: params.version, contactIds, stamp: params.now });
    return insertEnrollmentsBulk(tx, {
      workspaceId: params.workspaceId,
      journeyId: params.journeyId,
      version: params.version,
      contactIds,
      trigger: { kind: "segment", name: null, properties: { segmentId: loaded.segmentId }, key: `segment-${params.journeyId}-v${params.version}` },
      startStepId: graph.start!,
      reentry: bulkReentry(graph.reentry, params.now),
      now: params.now,
    });
  });
  return { enrolled, goalEventName: graph.goal?.eventName ?? null, nextAfterId: contactIds.length === pageSize ? contactIds.at(-1)! : null, scanned: contactIds.length };
}
