import { evalExpr } from "../expressions";
import type { EngineEvent, FnConfig } from "../types";

/** priority.run gives seconds (−600…600) by which a run jumps ahead of (or behind) the queue. */
export function priorityOffsetMs(cfg: FnConfig, event: EngineEvent): number {
  const expr = cfg.priority?.run;
  if (!expr) return 0;
  const v = Number(evalExpr(expr, { event }));
  if (!Number.isFinite(v)) return 0;
  return Math.max(-600, Math.min(600, v)) * 1000;
}
