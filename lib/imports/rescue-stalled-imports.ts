import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { type Import, listStalledImports, touchStalledImport } from "@/db/queries/imports";
import type { ImportWatchdogSettings } from "./import-watchdog-settings";

/** Stalled imports handled per watchdog pass; the rest wait for the next one. */
export const STALLED_IMPORTS_PER_PASS = 100;

const ACTOR = "function:watch-imports";

/** A stalled import as the watchdog saw it: ids and the moment it last moved, never rows. */
export type StalledImport = { workspaceId: string; importId: string; status: Import["status"]; stalledSince: string };

/** What an import-contacts event carries, and its id. */
export type ImportRestart = { data: { workspaceId: string; importId: string }; id: string };

export async function findStalledImports(db: Db, settings: ImportWatchdogSettings, now = new Date()): Promise<StalledImport[]> {
  const stalledBefore = new Date(now.getTime() - settings.stuckImportMinutes * 60_000);
  const rows = await listStalledImports(db, { stalledBefore, limit: STALLED_IMPORTS_PER_PASS });
  return rows.map((row) => ({ workspaceId: row.workspaceId, importId: row.id, status: row.status, stalledSince: row.updatedAt.toISOString() }));
}

/**
 * The import's start event again (as data: the watchdog function builds and sends it), under an id of its own: the original id (contact-import-<id>)
 * would be dropped as a duplicate by Inngest. The id is derived from the moment the import last
 * moved, so a retried pass sends the same event (de-duplicated), and only a new stall a new one.
 * import-contacts is safe to run again: it resumes from the committed cursor and does nothing
 * for an import that has finished.
 */
export function restartEvent(stalled: StalledImport): ImportRestart {
  return {
    data: { workspaceId: stalled.workspaceId, importId: stalled.importId },
    id: `contact-import-${stalled.importId}-rescue-${Date.parse(stalled.stalledSince)}`,
  };
}

/**
 * After the events went out: each import's stall is recorded as progress (so the next pass
 * waits a full period) and its restart written to the audit log. An import that moved on
 * meanwhile is neither touched nor logged. Returns how many were recorded.
 */
export async function recordRestarts(db: Db, stalled: readonly StalledImport[]): Promise<number> {
  let recorded = 0;
  for (const item of stalled) {
    const touched = await touchStalledImport(db, { ...item, seenAt: new Date(item.stalledSince) });
    if (!touched) continue;
    await insertAuditEntry(db, {
      workspaceId: item.workspaceId,
      actor: ACTOR,
      action: "import.restarted",
      targetType: "import",
      targetId: item.importId,
      details: { status: item.status, stalledSince: item.stalledSince },
    });
    recorded++;
  }
  return recorded;
}
