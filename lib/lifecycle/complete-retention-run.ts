import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { finishRetentionRun, type RetentionRun } from "@/db/queries/retention-runs";

/**
 * Marks an applied retention run completed and audits it, in one transaction. Written as two
 * statements, a crash (or a reader) between them saw a completed run with no audit entry, and the
 * step's retry wrote none either: the run was no longer "running", so finishing it changed
 * nothing. Undefined when the run was already finished (a retry or replay): nothing is written.
 */
export async function completeRetentionRun(
  db: Db,
  params: { workspaceId: string; runId: string; counts: Record<string, number>; details: Record<string, unknown>; at: Date },
): Promise<RetentionRun | undefined> {
  const { workspaceId, runId, counts, details, at } = params;
  return db.transaction(async (tx) => {
    const finished = await finishRetentionRun(tx, { workspaceId, runId, status: "completed", counts, at });
    if (!finished) return undefined;
    await insertAuditEntry(tx, {
      workspaceId,
      actor: "retention",
      action: "retention.applied",
      targetType: "retention_run",
      targetId: runId,
      details: { counts, ...details },
    });
    return finished;
  });
}
