import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { type WorkspaceAlert, workspaceAlerts } from "@/db/schema";

export type NewWorkspaceAlert = Pick<WorkspaceAlert, "workspaceId" | "kind" | "severity" | "title" | "message" | "targetType" | "targetId">;

export async function insertWorkspaceAlert(db: Db, values: NewWorkspaceAlert): Promise<WorkspaceAlert> {
  const [row] = await db.insert(workspaceAlerts).values(values).returning();
  return row!;
}

/** Resolves the open alerts of one kind about one thing (a resumed campaign's guard alerts); how many. */
export async function resolveWorkspaceAlerts(db: Db, params: { workspaceId: string; kind: string; targetType: string; targetId: string }): Promise<number> {
  const rows = await db
    .update(workspaceAlerts)
    .set({ resolvedAt: sql`now()` })
    .where(
      and(
        eq(workspaceAlerts.workspaceId, params.workspaceId),
        eq(workspaceAlerts.kind, params.kind),
        eq(workspaceAlerts.targetType, params.targetType),
        eq(workspaceAlerts.targetId, params.targetId),
        isNull(workspaceAlerts.resolvedAt),
      ),
    )
    .returning({ id: workspaceAlerts.id });
  return rows.length;
}

/** A workspace's alerts newest first (keyset on created_at, id), open ones only unless `includeResolved`. */
export async function listWorkspaceAlerts(
  db: Db,
  params: { workspaceId: string; includeResolved?: boolean; before?: { createdAt: Date; id: string }; limit: number },
): Promise<WorkspaceAlert[]> {
  const { before } = params;
  return db
    .select()
    .from(workspaceAlerts)
    .where(
      and(
        eq(workspaceAlerts.workspaceId, params.workspaceId),
        params.includeResolved ? undefined : isNull(workspaceAlerts.resolvedAt),
        before ? or(lt(workspaceAlerts.createdAt, before.createdAt), and(eq(workspaceAlerts.createdAt, before.createdAt), lt(workspaceAlerts.id, before.id))) : undefined,
      ),
    )
    .orderBy(desc(workspaceAlerts.createdAt), desc(workspaceAlerts.id))
    .limit(params.limit);
}
