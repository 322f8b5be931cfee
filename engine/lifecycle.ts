import type { EngineContext } from "./context";
import type { RunRow } from "./types";

export const FAILED_EVENT = "inngest/function.failed";
export const CANCELLED_EVENT = "inngest/function.cancelled";
export const FINISHED_EVENT = "inngest/function.finished";

/**
 * The events Inngest sends when a run ends badly (pkg/execution/executor/finalize.go): a cancelled
 * run (cancelOn, a timeout, singleton cancel, the API) emits `inngest/function.cancelled`, a failed
 * one `inngest/function.failed`, both with data { function_id, run_id, error, event, events }.
 * The event id is the run id, as Inngest's, so emitting again for the same run (a crash between
 * finishing it and sending) starts no second handler run (runs are de-duplicated per function by
 * event id). Runs triggered by failed/finished events emit nothing: a failing failure handler must
 * not feed itself.
 */
export function emitRunEnded(ctx: EngineContext, run: RunRow): void {
  const name = run.status === "cancelled" ? CANCELLED_EVENT : run.status === "failed" ? FAILED_EVENT : undefined;
  if (!name || run.event.name === FAILED_EVENT || run.event.name === FINISHED_EVENT) return;
  const events = run.events.length ? run.events : [run.event];
  // The run keeps why it was cancelled; the event's error is Inngest's fixed one (system-events reference).
  const error = run.status === "cancelled" ? { name: "Error", message: "function cancelled" } : run.error;
  void ctx
    .emit([{ id: run.id, name, data: { function_id: run.fn_id, run_id: run.id, error, event: run.event, events } }])
    .catch((err) => ctx.log.error(`failed to emit ${name}`, err));
}
