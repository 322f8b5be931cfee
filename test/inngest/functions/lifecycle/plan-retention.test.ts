import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { saveRetentionPolicy } from "@/db/queries/retention-policies";
import { retentionRuns } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { sentEvents } from "@/test/inngest/functions/imports/import-harness";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { planRetention } = await import("@/inngest/functions/lifecycle/plan-retention");

let database: Database;
const workspaces: Record<"enabled" | "alsoEnabled" | "disabled" | "none", string> = { enabled: "", alsoEnabled: "", disabled: "", none: "" };

beforeAll(async () => {
  database = await useTestDatabase();
  for (const name of Object.keys(workspaces) as (keyof typeof workspaces)[]) {
    workspaces[name] = (await createWorkspace(database.db, { name })).workspace.id;
  }
  const policy = (workspaceId: string, enabled: boolean) =>
    saveRetentionPolicy(database.db, { workspaceId, enabled, inactiveContactDays: 365, messageBodyDays: 30, webhookPayloadDays: null, runDataDays: null, confirmShare: 0.1, confirmedAt: null, updatedBy: "test", at: new Date() });
  await policy(workspaces.enabled, true);
  await policy(workspaces.alsoEnabled, true);
  await policy(workspaces.disabled, false);
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

describe("plan-retention", () => {
  it("records a run for each enabled workspace and fans out one event per run, no other workspace", async () => {
    const { result, ctx } = await new InngestTestEngine({ function: planRetention }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 30 3 * * *" } } as never] });
    expect(result).toEqual({ planned: 2 });
    const runs = await database.db.select().from(retentionRuns);
    expect(runs.map((run) => run.workspaceId).sort()).toEqual([workspaces.enabled, workspaces.alsoEnabled].sort());
    for (const run of runs) expect(run).toMatchObject({ dryRun: false, status: "running", counts: {} });
    const sent = sentEvents(ctx);
    expect(sent).toEqual(
      expect.arrayContaining(runs.map((run) => ({ name: "lifecycle/retention.requested", id: `retention-${run.id}`, data: { workspaceId: run.workspaceId, runId: run.id } }))),
    );
    expect(sent).toHaveLength(2);
    expect(await database.db.select().from(retentionRuns).where(eq(retentionRuns.workspaceId, workspaces.disabled))).toEqual([]);
  });
});
