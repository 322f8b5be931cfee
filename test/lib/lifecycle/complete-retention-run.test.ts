import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getRetentionRun, insertRetentionRun } from "@/db/queries/retention-runs";
import { auditLog } from "@/db/schema";
import { completeRetentionRun } from "@/lib/lifecycle/complete-retention-run";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

// The audit append can be made to fail, to stand for a crash between the two writes.
const failAudit = vi.hoisted(() => ({ next: false }));
vi.mock("@/db/queries/audit-log", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/queries/audit-log")>();
  return {
    ...actual,
    insertAuditEntry: async (...args: Parameters<typeof actual.insertAuditEntry>) => {
      if (failAudit.next) {
        failAudit.next = false;
        throw new Error("connection lost");
      }
      return actual.insertAuditEntry(...args);
    },
  };
});

const AT = new Date("2026-06-15T12:00:00.000Z");
const COUNTS = { anonymisedContacts: 3, messageBodies: 7 };

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Retained" }));
});
afterAll(() => database.close());

const auditsOf = (runId: string) =>
  database.db.select().from(auditLog).where(and(eq(auditLog.action, "retention.applied"), eq(auditLog.targetId, runId)));
const started = () => insertRetentionRun(database.db, { workspaceId, dryRun: false, startedAt: AT });

describe("completeRetentionRun", () => {
  it("completes the run and audits it with its counts", async () => {
    const run = await started();
    const finished = await completeRetentionRun(database.db, { workspaceId, runId: run.id, counts: COUNTS, details: { continuesTomorrow: [] }, at: AT });
    expect(finished).toMatchObject({ id: run.id, status: "completed", counts: COUNTS, finishedAt: AT });
    expect(await auditsOf(run.id)).toEqual([
      expect.objectContaining({ workspaceId, actor: "retention", targetType: "retention_run", details: { counts: COUNTS, continuesTomorrow: [] } }),
    ]);
  });

  it("writes nothing when the run is already finished (a retried or replayed step)", async () => {
    const run = await started();
    await completeRetentionRun(database.db, { workspaceId, runId: run.id, counts: COUNTS, details: {}, at: AT });
    expect(await completeRetentionRun(database.db, { workspaceId, runId: run.id, counts: { anonymisedContacts: 9 }, details: {}, at: new Date() })).toBeUndefined();
    expect(await getRetentionRun(database.db, { workspaceId, runId: run.id })).toMatchObject({ counts: COUNTS, finishedAt: AT });
    expect(await auditsOf(run.id)).toHaveLength(1);
  });

  it("leaves the run running when its audit entry cannot be written, so the retry writes both", async () => {
    const run = await started();
    failAudit.next = true;
    await expect(completeRetentionRun(database.db, { workspaceId, runId: run.id, counts: COUNTS, details: {}, at: AT })).rejects.toThrow("connection lost");
    expect(await getRetentionRun(database.db, { workspaceId, runId: run.id })).toMatchObject({ status: "running", finishedAt: null });
    expect(await auditsOf(run.id)).toEqual([]);

    expect(await completeRetentionRun(database.db, { workspaceId, runId: run.id, counts: COUNTS, details: {}, at: AT })).toMatchObject({ status: "completed" });
    expect(await auditsOf(run.id)).toHaveLength(1);
  });
});
