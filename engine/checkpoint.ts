import type { EngineContext } from "./context";
import { finishRunLocked, isActive, memoize } from "./runs";
import type { HistoryEntry } from "./store/store";

interface CheckpointStep {
  id: string;
  op: string;
  data?: unknown;
  error?: unknown;
  displayName?: string;
  name?: string;
}

/**
 * `POST /v1/checkpoint/:runId/async`: the SDK ran steps in-process (checkpointing, on by default
 * in v4) and reports them so a later call memoizes them. 409 tells the SDK the run is gone
 * (cancelled/finished) so it halts instead of running more steps.
 */
export async function checkpointAsync(ctx: EngineContext, runId: string, body: { steps?: CheckpointStep[] }): Promise<number> {
  return ctx.withRunLock(runId, async () => {
    const run = await ctx.store.getRun(runId);
    if (!run) return 404;
    if (!isActive(run.status)) return 409;
    run.meta.names ??= {};
    const entries: HistoryEntry[] = [];
    for (const step of body.steps ?? []) {
      if (step.displayName || step.name) run.meta.names[step.id] = step.displayName ?? step.name ?? step.id;
      const name = run.meta.names[step.id];
      if (step.op === "StepRun" || step.op === "Step") {
        memoize(run, step.id, { data: step.data ?? null });
        entries.push({ type: "step.completed", stepId: step.id, name, data: step.data ?? null });
      } else if (step.op === "StepFailed") {
        memoize(run, step.id, { error: step.error ?? step.data });
        entries.push({ type: "step.failed", stepId: step.id, name, data: step.error });
      } else if (step.op === "RunComplete") {
        await finishRunLocked(ctx, run, "completed", { output: step.data ?? null }, undefined, entries);
        return 200;
      }
    }
    await ctx.store.saveRunState(run, entries);
    return 200;
  });
}
