import { and, eq, notInArray } from "drizzle-orm";
import type { Db } from "@/db";
import { journeyStepPreviews } from "@/db/schema";

export type JourneyStepPreview = typeof journeyStepPreviews.$inferSelect;

/** The stored previews of a journey's send steps (the journey already checked to be the workspace's). */
export async function listJourneyStepPreviews(db: Db, params: { journeyId: string }): Promise<JourneyStepPreview[]> {
  return db.select().from(journeyStepPreviews).where(eq(journeyStepPreviews.journeyId, params.journeyId));
}

/** Stores a step's rendered preview in place of the one before (a step has one). */
export async function upsertJourneyStepPreview(db: Db, row: JourneyStepPreview): Promise<void> {
  const { journeyId: _journeyId, stepId: _stepId, ...changes } = row;
  await db
    .insert(journeyStepPreviews)
    .values(row)
    .onConflictDoUpdate({ target: [journeyStepPreviews.journeyId, journeyStepPreviews.stepId], set: changes });
}

/** Forgets the previews of steps that are no longer send steps of the draft. */
export async function deleteOtherJourneyStepPreviews(db: Db, params: { journeyId: string; keepStepIds: string[] }): Promise<void> {
  await db
    .delete(journeyStepPreviews)
    .where(and(eq(journeyStepPreviews.journeyId, params.journeyId), params.keepStepIds.length > 0 ? notInArray(journeyStepPreviews.stepId, params.keepStepIds) : undefined));
}
