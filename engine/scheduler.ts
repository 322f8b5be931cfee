import type { EngineContext } from "./context";
import { nextCronTime } from "./cron";
import { executeCall, startInvoke } from "./executor";
import { closeBatch, readBatch } from "./flow/batch";
import { ConcurrencySlots } from "./flow/concurrency";
import { takeDebounced } from "./flow/debounce";
import { throttleCheck } from "./flow/throttle";
import { ulid } from "./ids";
import { cancelRun, createRun, CRON_EVENT, resumeStep } from "./runs";
import type { FnRow, JobRow, RunRow, StepMemo } from "./types";

const laneOf = (job: JobRow) => job.ckeys.join("\u001f");

/** Fallback poll: every state change pokes the scheduler and timers wake it at their due time. */
const IDLE_POLL_MS = 500;
const MAX_IN_FLIGHT = 64;
const BATCH = 200;
/** Fewest due jobs read per tick. */
const MIN_READ = 16;
/** Lanes remembered for fair queuing (least recently served forgotten first). */
const MAX_LANES = 10_000;

/**
 * The one loop that moves work: picks due jobs in queue order (a run's call jobs sort by the run's
 * queue time, so priority holds and per-key starts are FIFO), interleaved fairly across
 * concurrency-key lanes, applies start-time flow control
 * (throttle, concurrency), and runs them. Jobs are leased while in flight and deleted with the
 * state change they cause.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires. */
  private wakeAt: number | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  /** Earliest future due time poked while a tick ran (the tick may have read the queue before it). */
  private pendingAt: number | undefined;
  private inFlight = new Map<string, Promise<void>>();
  private slots = new ConcurrencySlots();
  private abort = new AbortController();
  /** Lane → sequence number of its last started call. */
  private lastServed = new Map<string, number>();
  private served = 0;

  constructor(private ctx: EngineContext) {}

  async start() {
    this.running = true;
    this.abort = new AbortController();
    this.schedule(0);
  }

  /** Stops picking jobs, aborts in-flight calls (their jobs stay in the table and rerun next start). */
  async stop(graceMs = 2000) {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    const all = Promise.allSettled([...this.inFlight.values()]);
    const t = setTimeout(() => this.abort.abort(), graceMs);
    await all;
    clearTimeout(t);
    while (this.ticking) await new Promise((r) => setTimeout(r, 10));
  }

  /** Wakes the loop now, or only by `at` when the new work is due later (a run delayed by priority needs no tick yet). */
  poke(at = 0) {
    if (!this.running) return;
    const delay = at - Date.now();
    if (delay > 0) {
      // Work due later never forces an extra tick: it only brings the next wake-up forward.
      if (this.ticking) this.pendingAt = Math.min(this.pendingAt ?? at, at);
      else if (this.wakeAt === undefined || at < this.wakeAt) this.schedule(delay);
      return;
    }
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = Date.now() + ms;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    if (this.ticking || !this.running) return;
    this.ticking = true;
    this.again = false;
    this.wakeAt = undefined;
    let wait = IDLE_POLL_MS;
    try {
      const now = Date.now();
      const free = MAX_IN_FLIGHT - this.inFlight.size;
      // Every slot busy: the next call to finish pokes the loop, which then has room again.
      if (free <= 0) return;
      // A tick follows every finished call: read about as many jobs as may start, not a whole
      // batch each time (the margin covers jobs a throttle or a just-filled key holds back).
      const limit = Math.min(BATCH, Math.max(MIN_READ, free * 2));
      // Keys that are full are filtered out in SQL, so a backlog on one key never hides other work.
      const due = await this.ctx.store.dueJobs(now, limit, this.slots.fullKeys());
      const jobs = this.interleave(due.filter((j) => !this.inFlight.has(j.id)));
      // One read for every run the tick may start, instead of one per job.
      const runs = await this.ctx.store.getRuns([...new Set(jobs.flatMap((j) => (j.kind === "call" && j.run_id ? [j.run_id] : [])))]);
      const fns = new Map<string, FnRow | undefined>();
      // Keys found blocked in this tick: no later job of the key may overtake the blocked one.
      const blocked = new Set<string>();
      for (const job of jobs) {
        if (!this.running || this.inFlight.size >= MAX_IN_FLIGHT) break;
        await this.consider(job, job.run_id ? runs.get(job.run_id) : undefined, fns, now, blocked);
      }
      if (due.length === limit && this.inFlight.size < MAX_IN_FLIGHT) this.again = true;
      // With more due work the loop runs again at once; only an emptied queue needs the next due time.
      const next = this.again ? undefined : await this.ctx.store.nextJobTime(this.slots.fullKeys());
      if (next !== undefined) wait = Math.max(0, Math.min(IDLE_POLL_MS, next - Date.now()));
      // Due jobs that could not start now (a key filled up mid-tick) are retried when a call ends (poke).
      if (wait === 0 && !this.again) wait = IDLE_POLL_MS;
    } catch (err) {
      if (this.running) this.ctx.log.error("scheduler tick failed", err);
    } finally {
      this.ticking = false;
      if (this.pendingAt !== undefined) wait = Math.min(wait, Math.max(0, this.pendingAt - Date.now()));
      this.pendingAt = undefined;
      this.schedule(this.again ? 0 : wait);
    }
  }

  /**
   * Fair queuing across lanes (sets of concurrency keys, e.g. one per workspace): among jobs with
   * the same turn, the lane that started a call longest ago goes first, so lanes take turns
   * instead of the oldest backlog winning every free slot (or every throttle opening) — the
   * round-robin of Inngest's per-key queues. Within a lane the queue order is kept.
   */
  private interleave(jobs: Array<JobRow & { turn: number }>): JobRow[] {
    return jobs
      .map((job, i) => ({ job, i, served: this.lastServed.get(laneOf(job)) ?? -1 }))
      .sort((a, b) => a.job.turn - b.job.turn || a.served - b.served || a.i - b.i)
      .map((x) => x.job);
  }

  private markServed(job: JobRow) {
    const lane = laneOf(job);
    // Re-inserting keeps the map ordered by service; forgetting the least recently served lane
    // changes no decision (an unknown lane sorts first, as that lane would).
    this.lastServed.delete(lane);
    this.lastServed.set(lane, ++this.served);
    if (this.lastServed.size > MAX_LANES) this.lastServed.delete(this.lastServed.keys().next().value!);
  }

  private async consider(job: JobRow, loaded: RunRow | undefined, fns: Map<string, FnRow | undefined>, now: number, blocked: Set<string>) {
    const { store } = this.ctx;
    if (job.kind !== "call") {
      if (!store.leaseJob(job.id)) return;
      this.track(job.id, this.runTimer(job));
      return;
    }
    if (job.ckeys.some((k) => blocked.has(`c:${k}`)) || (job.tkey && blocked.has(`t:${job.tkey}`))) return;
    const run = loaded;
    if (!run || (run.status !== "queued" && run.status !== "running")) {
      await store.deleteJob(job.id);
      return;
    }
    if (!fns.has(run.fn_id)) fns.set(run.fn_id, await store.getFunction(run.fn_id));
    const fn = fns.get(run.fn_id);
    if (!fn) {
      // Function vanished (app re-synced without it): keep the job a while instead of failing the run.
      await store.deferJob(job.id, now + 5000);
      return;
    }
    const keys = run.meta.concurrency ?? [];
    if (!this.slots.canAcquire(keys)) {
      for (const k of keys) blocked.add(`c:${k.key}`);
      return;
    }
    // The run's start time is the moment the throttle gate admits it, so throttle history is exact.
    const admittedAt = Date.now();
    if (run.started_at === null && run.meta.throttleKey) {
      const at = await throttleCheck(store, fn.config, run.meta.throttleKey, admittedAt, job.run_at);
      if (at > 0) {
        // Every queued start of the key sleeps until the exact time the gate reopens (FIFO kept:
        // their queue order does not change), instead of being re-checked every tick.
        blocked.add(`t:${run.meta.throttleKey}`);
        await store.deferThrottled(run.meta.throttleKey, at);
        return;
      }
    }
    if (!store.leaseJob(job.id)) return;
    this.slots.acquire(keys);
    this.markServed(job);
    // A queued run's state is its event until markStarted, so the tick's read is current; a started
    // run may have memoized steps since (parallel steps, checkpoints), so the call reads it afresh.
    const work = executeCall(this.ctx, job, fn, this.abort.signal, admittedAt, run.started_at === null ? run : undefined)
      .catch(async (err) => {
        if (this.running) this.ctx.log.error(`call for run ${run.id} failed`, err);
        await store.releaseJob(job.id).catch(() => undefined);
      })
      .finally(() => this.slots.release(keys));
    this.track(job.id, work);
  }

  private track(id: string, p: Promise<void>) {
    this.inFlight.set(id, p);
    void p.finally(() => {
      this.ctx.store.endLease(id);
      this.inFlight.delete(id);
      this.poke();
    });
  }

  private async runTimer(job: JobRow): Promise<void> {
    const { ctx } = this;
    const { store } = ctx;
    try {
      switch (job.kind) {
        case "sleep":
          await store.deleteJob(job.id);
          if (job.run_id && job.step_id) await resumeStep(ctx, job.run_id, job.step_id, { data: null }, "sleep.completed");
          break;
        case "wait-timeout": {
          await store.deleteJob(job.id);
          if (!job.run_id || !job.step_id) break;
          const error = job.payload.error;
          // Only the side that removes the wait row resumes the step (event or child vs. timeout);
          // `direct` errors (invoke target missing or skipped) have no wait row.
          if (!job.payload.direct) {
            const w = await store.waitFor(job.run_id, job.step_id);
            if (!w || !(await store.takeWait(w.id))) break;
          }
          const memo: StepMemo = error ? { error } : { data: null };
          await resumeStep(ctx, job.run_id, job.step_id, memo, error ? "invoke.timeout" : "wait.timeout");
          break;
        }
        case "debounce": {
          const flowKey = String(job.payload.flowKey);
          const fn = await store.getFunction(String(job.payload.fnId));
          const event = await ctx.withRunLock(`flow:debounce:${flowKey}`, async () => {
            await store.deleteJob(job.id);
            return takeDebounced(store, flowKey);
          });
          if (fn && event) await createRun(ctx, fn, [event]);
          break;
        }
        case "batch": {
          const flowKey = String(job.payload.flowKey);
          const fn = await store.getFunction(String(job.payload.fnId));
          // The run is created before the batch is forgotten, under the id the batch keeps, so a
          // crash in between leaves the job to fire again and find the run there.
          await ctx.withRunLock(`flow:batch:${flowKey}`, async () => {
            const batch = await readBatch(store, flowKey);
            // A batch of another timer (this one's was closed full, a new one began) keeps its own.
            if (batch?.runId !== job.id) return void (await store.deleteJob(job.id));
            if (fn && batch.events.length) await createRun(ctx, fn, batch.events, { id: batch.runId });
            await closeBatch(store, flowKey, job.id);
          });
          break;
        }
        case "cron":
          await this.fireCron(job);
          break;
        case "timeout-start":
          await store.deleteJob(job.id);
          // Checked under the run lock: a run admitted a moment ago has started and is not cancelled.
          if (job.run_id) await cancelRun(ctx, job.run_id, "timeouts.start", (r) => r.started_at === null);
          break;
        case "invoke":
          await startInvoke(ctx, job);
          break;
        case "timeout-finish":
          await store.deleteJob(job.id);
          if (job.run_id) await cancelRun(ctx, job.run_id, "timeouts.finish");
          break;
        default:
          await store.deleteJob(job.id);
      }
    } catch (err) {
      ctx.log.error(`job ${job.kind} ${job.id} failed`, err);
      await store.releaseJob(job.id, Date.now() + 1000).catch(() => undefined);
    }
  }

  private async fireCron(job: JobRow) {
    const { ctx } = this;
    const fnId = String(job.payload.fnId);
    const cron = String(job.payload.cron);
    const fn = await ctx.store.getFunction(fnId);
    const next = nextCronTime(cron, Math.max(Date.now(), job.run_at + 1));
    await ctx.store.tx(async (s) => {
      await s.deleteJob(job.id);
      if (fn && next !== undefined) await s.insertJob("cron", next, { payload: job.payload, id: `cron:${fnId}:${cron}:${next}` });
    });
    if (!fn) return;
    const id = ulid();
    const event = { id, name: CRON_EVENT, data: { cron }, ts: Date.now() };
    await ctx.store.insertEvents([{ id, userId: null, payload: event }]);
    await createRun(ctx, fn, [event]);
  }
}
