import type { EngineContext } from "./context";
import { parseDuration } from "./duration";
import { evalKey, limitKey } from "./expressions";
import { concurrencyKeys } from "./flow/concurrency";
import { emitRunEnded } from "./lifecycle";
import { claimIdempotency } from "./flow/idempotency";
import { priorityOffsetMs } from "./flow/priority";
import { ulid } from "./ids";
import { firstCallAt, type HistoryEntry, type NewRun } from "./store/store";
import type { EngineEvent, FnRow, RunRow, RunStatus, StepMemo } from "./types";

export const INVOKED_EVENT = "inngest/function.invoked";
export const CRON_EVENT = "inngest/scheduled.timer";

export interface CreateRunOptions {
  replayOf?: string;
  parent?: { runId: string; stepId: string };
  /** A fixed id (invoke): creating a run whose id exists is a no-op returning that id. */
  id?: string;
  /** The user-set id of the triggering event: a function runs once per such id within 24 h. */
  eventId?: string;
}

/** Creates a queued run after idempotency and singleton checks; undefined when the run is skipped. */
export async function createRun(
  ctx: EngineContext,
  fn: FnRow,
  events: EngineEvent[],
  opts: CreateRunOptions = {},
): Promise<string | undefined> {
  const cfg = fn.config;
  const event = events[0];
  if (!event) return undefined;
  if (opts.id && (await ctx.store.getRun(opts.id))) return opts.id;
  if (!cfg.singleton) return (await createRuns(ctx, [{ fn, events, opts }]))[0];
  // Check and insert under one lock, so two events arriving together cannot both become "the" run.
  const singletonKey = `${fn.id}:${evalKey(cfg.singleton.key, { event })}`;
  return ctx.withRunLock(`flow:singleton:${singletonKey}`, async () => {
    const active = await ctx.store.activeRunsWithSingleton(fn.id, singletonKey);
    if (active.length > 0) {
      if (cfg.singleton!.mode === "skip") {
        ctx.log.info(`run skipped by singleton ${fn.id} key=${singletonKey}`);
        return undefined;
      }
      for (const r of active) await cancelRun(ctx, r.id, "singleton");
    }
    return (await createRuns(ctx, [{ fn, events, opts, singletonKey }]))[0];
  });
}

export interface RunRequest {
  fn: FnRow;
  events: EngineEvent[];
  opts?: CreateRunOptions;
  singletonKey?: string;
}

/**
 * Creates runs in request order with one idempotency statement (only when some function has a key)
 * and one insert for everything else: how a fan-out of thousands of events stays a few round trips.
 * Callers handle singleton and event-time flow control. Returns each run's id, undefined if skipped.
 */
export async function createRuns(ctx: EngineContext, requests: RunRequest[]): Promise<Array<string | undefined>> {
  const now = Date.now();
  let planned = requests.map((r) => ({ ...r, id: r.opts?.id ?? ulid(now), event: r.events[0]! }));
  const all = planned;
  // A replay reruns the same event on purpose, so it bypasses both keys (as Inngest's replay does).
  // The event id first: a repeat that starts nothing must not use up the function's idempotency key.
  const byEventId = new Set(planned.filter((r) => r.opts?.eventId && !r.opts.replayOf));
  if (byEventId.size) {
    const claims = [...byEventId].map((r) => ({ fnId: r.fn.id, keyValue: r.opts!.eventId!, runId: r.id }));
    const allowed = await claimIdempotency(ctx.store, claims, now, "event-id");
    for (const c of claims) if (!allowed.has(c.runId)) ctx.log.info(`run skipped: ${c.fnId} already ran for event id ${c.keyValue}`);
    planned = planned.filter((r) => !byEventId.has(r) || allowed.has(r.id));
  }
  const claims = planned.flatMap((r) => {
    const keyValue = r.fn.config.idempotency && !r.opts?.replayOf ? limitKey(r.fn.config.idempotency, { event: r.event }) : null;
    return keyValue === null ? [] : [{ fnId: r.fn.id, keyValue, runId: r.id }];
  });
  const allowed = claims.length ? await claimIdempotency(ctx.store, claims, now) : new Set<string>();
  for (const c of claims) if (!allowed.has(c.runId)) ctx.log.info(`run skipped by idempotency ${c.fnId} key=${c.keyValue}`);
  const keyed = new Set(claims.map((c) => c.runId));
  const created = planned.filter((r) => !keyed.has(r.id) || allowed.has(r.id));
  const runs = created.map((r) => newRun(r.fn, r.events, r.id, now, r.opts ?? {}, r.singletonKey));
  await ctx.store.insertRuns(runs);
  if (runs.length) ctx.poke(runs.reduce((at, r) => Math.min(at, firstCallAt(r)), Infinity));
  const ids = new Set(created.map((r) => r.id));
  return all.map((r) => (ids.has(r.id) ? r.id : undefined));
}

function newRun(fn: FnRow, events: EngineEvent[], id: string, now: number, opts: CreateRunOptions, singletonKey?: string): NewRun {
  const cfg = fn.config;
  const event = events[0]!;
  const start = parseDuration(cfg.timeouts?.start);
  return {
    id,
    fnId: fn.id,
    event,
    events,
    replayOf: opts.replayOf,
    createdAt: now,
    // Priority moves the run's place in the queue: +n s runs ahead of runs queued in the last n s,
    // −n s delays it by n s (its first call job is due at `prio`).
    prio: now - priorityOffsetMs(cfg, event),
    meta: {
      concurrency: concurrencyKeys(fn.id, cfg, event),
      throttleKey: cfg.throttle ? `${fn.id}:${evalKey(cfg.throttle.key, { event })}` : undefined,
      singletonKey,
      parent: opts.parent,
      pending: [],
      names: {},
    },
    startTimeoutAt: start === undefined ? undefined : now + start,
    cancelWaits: (cfg.cancel ?? []).map((c) => {
      const timeout = parseDuration(c.timeout);
      return { event: c.event, expr: c.if ?? null, expiresAt: timeout === undefined ? null : now + timeout };
    }),
  };
}

/** Memoizes one step result and, if nothing else of the run is outstanding, asks the SDK for the next step. */
export async function resumeStep(ctx: EngineContext, runId: string, stepId: string, memo: StepMemo, historyType: string) {
  await ctx.withRunLock(runId, async () => {
    const run = await ctx.store.getRun(runId);
    if (!run || !isActive(run.status)) return;
    // A step already settled (e.g. a timeout racing the event that resolved it) is never resolved twice.
    if (stepId in run.steps && !(run.meta.pending ?? []).includes(stepId)) return;
    memoize(run, stepId, memo);
    await ctx.store.tx(async (s) => {
      await s.saveRunState(run, [{ type: historyType, stepId, name: run.meta.names?.[stepId], data: memo }]);
      if ((run.meta.pending ?? []).length === 0) await s.insertJob("call", Date.now(), { runId });
    });
  });
  ctx.poke();
}

/**
 * Records a step's result. The first one wins, as in Inngest's state store: a call cut off by a
 * restart may go on running in the app and report a step again after another execution did, and
 * its late (possibly stale) result must not replace the one the run already went on with.
 */
export function memoize(run: RunRow, stepId: string, memo: StepMemo) {
  const pending = (run.meta.pending ?? []).includes(stepId);
  if (stepId in run.steps && !pending) return;
  if (!(stepId in run.steps)) run.stack.push(stepId);
  run.steps[stepId] = memo;
  run.meta.pending = (run.meta.pending ?? []).filter((p) => p !== stepId);
}

export function isActive(status: RunStatus) {
  return status === "queued" || status === "running";
}

/** Cancels an active run; `onlyIf` is checked under the run lock (e.g. "has not started yet"). */
export async function cancelRun(ctx: EngineContext, runId: string, reason: string, onlyIf?: (run: RunRow) => boolean): Promise<boolean> {
  return ctx.withRunLock(runId, async () => {
    const run = await ctx.store.getRun(runId);
    if (!run || !isActive(run.status) || (onlyIf && !onlyIf(run))) return false;
    run.meta.cancelReason = reason;
    await finishRunLocked(ctx, run, "cancelled", { error: { name: "Cancelled", message: `cancelled: ${reason}` } });
    return true;
  });
}

/**
 * Ends a run (caller holds the run lock): clears its waits and jobs, tells an invoking parent,
 * and emits the lifecycle event of a failed or cancelled run (lifecycle.ts).
 */
export async function finishRunLocked(
  ctx: EngineContext,
  run: RunRow,
  status: "completed" | "failed" | "cancelled",
  result: { output?: unknown; error?: unknown },
  /** The (leased) job whose reply ended the run: deleted in the same statement. */
  jobId?: string,
  /** Timeline entries that belong before the run's end (the steps of its last reply). */
  entries: HistoryEntry[] = [],
) {
  const { store } = ctx;
  run.status = status;
  run.ended_at = Date.now();
  run.output = result.output ?? null;
  run.error = result.error ?? null;
  run.meta.pending = [];
  await store.finishRun(
    run,
    [...entries, { type: `run.${status}`, data: status === "completed" ? run.output : run.error }],
    jobId ?? null,
  );
  ctx.log.info(`run ${run.id} ${run.fn_id} ${status}`);
  if (run.meta.parent) {
    const parent = run.meta.parent;
    const waits = await store.waitsForInvoke(run.id);
    for (const w of waits) {
      if (!(await store.takeWait(w.id))) continue;
      const memo: StepMemo =
        status === "completed" ? { data: run.output } : { error: run.error ?? { name: "Error", message: status } };
      // Outside this run's lock: the parent has its own.
      void resumeStep(ctx, parent.runId, parent.stepId, memo, status === "completed" ? "invoke.completed" : "invoke.failed");
    }
  }
  emitRunEnded(ctx, run);
}
