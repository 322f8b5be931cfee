import { type DraftConflict, mergeJourneyDrafts } from "@/core/journeys/merge-drafts";
import type { Db } from "@/db";
import { getJourney, getJourneyDraftRevision, type Journey, type JourneyDraftRevisionKind, saveJourneyDraft } from "@/db/queries/journeys";

/** Saves racing this one can each move the draft on; after this many merges in a row, the editor reloads instead. */
const MERGE_ATTEMPTS = 3;

export type MergingSave =
  | { ok: true; journey: Journey; /** The save was on a stale base and was merged with what others saved since. */ merged: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "archived" }
  | { ok: false; reason: "conflict"; conflicts: DraftConflict[]; journey: Journey }
  | { ok: false; reason: "stale"; journey: Journey };

/**
 * The canvas's save (issue 17): on the base revision it names, a plain save; on a stale one, a
 * three-way merge (core/journeys/merge-drafts) of this draft and the current one against that
 * base, saved on the current revision — so two people editing different steps both keep their
 * work, and two editing the same step are refused with the step named, never overwritten.
 */
export async function saveDraftMerging(
  db: Db,
  params: { workspaceId: string; journeyId: string; baseRevision: number; draft: Record<string, unknown>; savedBy: string | null; now: Date; kind?: JourneyDraftRevisionKind },
): Promise<MergingSave> {
  const first = await saveJourneyDraft(db, params);
  if (!first) return { ok: false, reason: "not_found" };
  if (first.ok) return { ok: true, journey: first.journey, merged: false };
  const base = await getJourneyDraftRevision(db, { journeyId: params.journeyId, revision: params.baseRevision });
  for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
    const current = await getJourney(db, params);
    if (!current) return { ok: false, reason: "not_found" };
    if (current.status === "archived") return { ok: false, reason: "archived" };
    // A base the history does not hold (a revision that never existed) cannot be merged against.
    if (!base || params.baseRevision > current.draftRevision) return { ok: false, reason: "stale", journey: current };
    const merge = mergeJourneyDrafts(base.draft, params.draft, current.draft);
    if (!merge.ok) return { ok: false, reason: "conflict", conflicts: merge.conflicts, journey: current };
    const saved = await saveJourneyDraft(db, { ...params, baseRevision: current.draftRevision, draft: merge.draft, kind: "merge" });
    if (!saved) return { ok: false, reason: "not_found" };
    if (saved.ok) return { ok: true, journey: saved.journey, merged: true };
  }
  const current = await getJourney(db, params);
  return current ? { ok: false, reason: "stale", journey: current } : { ok: false, reason: "not_found" };
}
