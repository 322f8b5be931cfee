import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import type { Position } from "@/core/pagination/cursor";
import { retentionRuns } from "@/db/schema";
import { before } from "./keyset";

export type RetentionRun = typeof retentionRuns.$inferSelect;

export async function insertRetentionRun(
  db: Db,
  params: { workspaceId: string; dryRun: boolean; startedAt: Date; status?: RetentionRun["status"]; counts?: Record<string, number>; finishedAt?: Date | null },
): Promise<RetentionRun> {
  const [row] = await db.insert(retentionRuns).values(params).returning();
  return row!;
}

/** Several workspaces' runs in one statement (the daily cron records a page of them at once). */
export async function insertRetentionRuns(db: Db, params: { workspaceIds: readonly string[]; startedAt: Date }): Promise<{ workspaceId: string; runId: string }[]> {
  if (params.workspaceIds.length === 0) return [];
  const rows = await db
    .insert(retentionRuns)
    .values(params.workspaceIds.map((workspaceId) => ({ workspaceId, dryRun: false, startedAt: params.startedAt })))
    .returning({ workspaceId: retentionRuns.workspaceId, runId: retentionRuns.id });
  return rows;
}

export async function getRetentionRun(db: Db, params: { workspaceId: string; runId: string }): Promise<RetentionRun | undefined> {
  const [row] = await db
    .select()
    .from(retentionRuns)
    .where(and(eq(retentionRuns.workspaceId, params.workspaceId), eq(retentionRuns.id, params.runId)));
  return row;
}

/** Records what a run touched and closes it; only a run still `running` moves (a replay changes nothing). */
export async function finishRetentionRun(
  db: Db,
  params: { workspaceId: string; runId: string; status: "completed" | "failed"; counts?: Record<string, number>; error?: string | null; at: Date },
): Promise<RetentionRun | undefined> {
  const [row] = await db
    .update(retentionRuns)
    .set({ status: params.status, finishedAt: params.at, error: params.error ?? null, ...(params.counts ? { counts: params.counts } : {}) })
    .where(and(eq(retentionRuns.workspaceId, params.workspaceId), eq(retentionRuns.id, params.runId), eq(retentionRuns.status, "running")))
    .returning();
  return row;
}

/** Newest first, keyset over (started_at, id). */
export async function listRetentionRuns(db: Db, params: { workspaceId: string; limit: number; after?: Position; dryRun?: boolean }): Promise<RetentionRun[]> {
  return db
    .select()
    .from(retentionRuns)
    .where(
      and(
        eq(retentionRuns.workspaceId, params.workspaceId),
        params.dryRun === undefined ? undefined : eq(retentionRuns.dryRun, params.dryRun),
        before(retentionRuns.startedAt, retentionRuns.id, params.after),
      ),
    )
    .orderBy(desc(retentionRuns.startedAt), desc(retentionRuns.id))
    .limit(params.limit);
}
