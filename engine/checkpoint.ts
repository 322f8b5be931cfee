import type { EngineContext } from "./context";
import { finishRunLocked, isActive, memoize } from "./runs";

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
    const history: Array<[string, { stepId: string; name?: string; data: unknown }]> = [];
    for (const step of body.steps ?? []) {
      if (step.displayName || step.name) run.meta.names[step.id] = step.displayName ?? step.name ?? step.id;
      const name = run.meta.names[step.id];
      if (step.op === "StepRun" || step.op === "Step") {
        memoize(run, step.id, { data: step.data ?? null });
        history.push(["step.completed", { stepId: step.id, name, data: step.data ?? null }]);
      } else if (step.op === "StepFailed") {
        memoize(run, step.id, { error: step.error ?? step.data });
        history.push(["step.failed", { stepId: step.id, name, data: step.error }]);
      } else if (step.op === "RunComplete") {
        await writeHistory(ctx, runId, history);
        await finishRunLocked(ctx, run, "completed", { output: step.data ?? null });
        return 200;
      }
    }
    await ctx.store.sql.tx(async (q) => {
      const s = ctx.store.with(q);
      for (const [type, o] of history) await s.addHistory(runId, type, o);
      await s.saveRunState(run);
    });
    return 200;
  });
}

async function writeHistory(ctx: EngineContext, runId: string, history: Array<[string, { stepId: string; name?: string; data: unknown }]>) {
  if (history.length === 0) return;
  await ctx.store.sql.tx(async (q) => {
    for (const [type, o] of history) await ctx.store.with(q).addHistory(runId, type, o);
  });
}
