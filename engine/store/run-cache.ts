import type { RunRow } from "../types";

/**
 * A copy as deep as the engine's mutations go: the containers it changes in place (steps, stack,
 * attempts, meta and its lists) are new; values inside them (events, step outputs, errors) are
 * replaced, never changed, so they are shared. structuredClone of the same run cost ≈ 30 × more
 * and showed up at ≈ 4 % of the engine's CPU in bench:engine.
 */
export function copyRun(run: RunRow): RunRow {
  const { meta } = run;
  return {
    ...run,
    steps: { ...run.steps },
    stack: [...run.stack],
    step_attempts: { ...run.step_attempts },
    meta: {
      ...meta,
      ...(meta.concurrency && { concurrency: meta.concurrency.map((slot) => ({ ...slot })) }),
      ...(meta.parent && { parent: { ...meta.parent } }),
      ...(meta.pending && { pending: [...meta.pending] }),
      ...(meta.names && { names: { ...meta.names } }),
    },
  };
}

/** Runs kept; the least recently used is forgotten first. Active runs are the ones read again. */
const MAX_RUNS = 5_000;

/**
 * The last committed state of recently used runs, so a run's next read needs no round trip: a call
 * reads its run when it starts, when a checkpoint arrives and when the reply is applied — three
 * reads of a row this process wrote a moment ago. Sound because the engine is the only writer of
 * its schema and one process (every UPDATE of `runs` goes through the Store, which keeps this in
 * step). Entries are copies on the way in and out: callers mutate the runs they get (memoize)
 * before deciding to save, and an unsaved change must never leak into the next read.
 */
export class RunCache {
  private runs = new Map<string, RunRow>();

  get(id: string): RunRow | undefined {
    const run = this.runs.get(id);
    return run && copyRun(run);
  }

  set(run: RunRow): void {
    this.runs.delete(run.id);
    this.runs.set(run.id, copyRun(run));
    if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
  }

  /** Applies a partial update to a cached run (a conditional UPDATE that succeeded); a run not cached stays uncached. */
  patch(id: string, fields: Partial<RunRow>): void {
    const run = this.runs.get(id);
    if (run) Object.assign(run, fields);
  }

  delete(id: string): void {
    this.runs.delete(id);
  }

  clear(): void {
    this.runs.clear();
  }
}
