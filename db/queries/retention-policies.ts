import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db";
import { retentionPolicies } from "@/db/schema";

export type RetentionPolicy = typeof retentionPolicies.$inferSelect;

export async function getRetentionPolicy(db: Db, params: { workspaceId: string }): Promise<RetentionPolicy | undefined> {
  const [row] = await db.select().from(retentionPolicies).where(eq(retentionPolicies.workspaceId, params.workspaceId));
  return row;
}

/** Writes the whole policy (PUT semantics); `updatedAt` from the app's clock. */
export async function saveRetentionPolicy(
  db: Db,
  params: {
    workspaceId: string;
    enabled: boolean;
    inactiveContactDays: number | null;
    messageBodyDays: number | null;
    webhookPayloadDays: number | null;
    runDataDays: number | null;
    confirmShare: number;
    confirmedAt: Date | null;
    updatedBy: string;
    at: Date;
  },
): Promise<RetentionPolicy> {
  const { at, confirmShare, ...rest } = params;
  const values = { ...rest, confirmShare: String(confirmShare), updatedAt: at };
  const [row] = await db
    .insert(retentionPolicies)
    .values(values)
    .onConflictDoUpdate({ target: retentionPolicies.workspaceId, set: values })
    .returning();
  return row!;
}

/** A page of enabled policies' workspaces, in workspace-id order (the daily cron walks them). */
export async function listEnabledRetentionWorkspaces(db: Db, params: { after?: string; limit: number }): Promise<string[]> {
  const rows = await db
    .select({ workspaceId: retentionPolicies.workspaceId })
    .from(retentionPolicies)
    .where(and(eq(retentionPolicies.enabled, true), params.after ? gt(retentionPolicies.workspaceId, params.after) : undefined))
    .orderBy(asc(retentionPolicies.workspaceId))
    .limit(params.limit);
  return rows.map((row) => row.workspaceId);
}
