import type { RunRow } from "../types";

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
    return run && structuredClone(run);
  }

  set(run: RunRow): void {
    this.runs.delete(run.id);
    this.runs.set(run.id, structuredClone(run));
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
