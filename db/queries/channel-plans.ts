import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { channelPlans, type ChannelPlanProgress } from "@/db/schema";

export type ChannelPlan = typeof channelPlans.$inferSelect;
export type NewChannelPlan = typeof channelPlans.$inferInsert;

/** Inserts once per (workspace, idempotency key); a repeat returns the first plan untouched. */
export async function insertChannelPlan(db: Db, plan: NewChannelPlan): Promise<{ row: ChannelPlan; created: boolean }> {
  const [created] = await db.insert(channelPlans).values(plan).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await db
    .select()
    .from(channelPlans)
    .where(and(eq(channelPlans.workspaceId, plan.workspaceId), eq(channelPlans.idempotencyKey, plan.idempotencyKey)));
  return { row: existing!, created: false };
}

export async function getChannelPlan(db: Db, params: { workspaceId: string; planId: string }): Promise<ChannelPlan | undefined> {
  const [row] = await db
    .select()
    .from(channelPlans)
    .where(and(eq(channelPlans.workspaceId, params.workspaceId), eq(channelPlans.id, params.planId)));
  return row;
}

/**
 * Records what the plan's steps did so far (the whole list: one run owns a plan, and a retried
 * step writes the same list again); `status` ends the plan.
 */
export async function savePlanProgress(
  db: Db,
  params: { workspaceId: string; planId: string; progress: ChannelPlanProgress[]; status?: ChannelPlan["status"] },
): Promise<void> {
  await db
    .update(channelPlans)
    .set({ progress: params.progress, ...(params.status ? { status: params.status } : {}), updatedAt: sql`now()` })
    .where(and(eq(channelPlans.workspaceId, params.workspaceId), eq(channelPlans.id, params.planId)));
}
