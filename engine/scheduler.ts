import type { EngineContext } from "./context";
import { nextCronTime } from "./cron";
import { executeCall } from "./executor";
import { takeBatch } from "./flow/batch";
import { ConcurrencySlots } from "./flow/concurrency";
import { takeDebounced } from "./flow/debounce";
import { throttleCheck } from "./flow/throttle";
import { ulid } from "./ids";
import { cancelRun, createRun, CRON_EVENT, resumeStep } from "./runs";
import type { FnRow, JobRow, StepMemo } from "./types";

const POLL_MS = 100;
const MAX_IN_FLIGHT = 64;

/**
 * The one loop that moves work: picks due jobs in (run_at, id) order, applies start-time flow
 * control (throttle, concurrency), and runs them. Jobs are leased while in flight and deleted
 * with the state change they cause.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private again = false;
  private inFlight = new Map<string, Promise<void>>();
  private slots = new ConcurrencySlots();
  private abort = new AbortController();

  constructor(private ctx: EngineContext) {}

  async start() {
    await this.ctx.store.releaseAllLeases();
    this.running = true;
    this.abort = new AbortController();
    this.schedule(0);
  }

  /** Stops picking jobs, aborts in-flight calls (their jobs stay leased-free in the DB and rerun next start). */
  async stop(graceMs = 2000) {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    const all = Promise.allSettled([...this.inFlight.values()]);
    const t = setTimeout(() => this.abort.abort(), graceMs);
    await all;
    clearTimeout(t);
    while (this.ticking) await new Promise((r) => setTimeout(r, 10));
  }

  poke() {
    if (!this.running) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number) {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    if (this.ticking || !this.running) return;
    this.ticking = true;
    this.again = false;
    let wait = POLL_MS;
    try {
      const now = Date.now();
      const jobs = await this.ctx.store.dueJobs(now, 200);
      const fns = new Map<string, FnRow | undefined>();
      const throttled = new Set<string>();
      for (const job of jobs) {
        if (!this.running || this.inFlight.size >= MAX_IN_FLIGHT) break;
        if (this.inFlight.has(job.id)) continue;
        await this.consider(job, fns, now, throttled);
      }
      // Blocked jobs (throttle, concurrency) stay due; re-check them at the poll rate, not in a tight loop.
      const next = await this.ctx.store.nextJobTime();
      if (next !== undefined && next > Date.now()) wait = Math.max(5, Math.min(POLL_MS, next - Date.now()));
    } catch (err) {
      if (this.running) this.ctx.log.error("scheduler tick failed", err);
    } finally {
      this.ticking = false;
      this.schedule(this.again ? 0 : wait);
    }
  }

  private async consider(job: JobRow, fns: Map<string, FnRow | undefined>, now: number, throttled: Set<string>) {
    const { store } = this.ctx;
    if (job.kind !== "call") {
      if (!(await store.leaseJob(job.id))) return;
      this.track(job.id, this.runTimer(job));
      return;
    }
    const run = job.run_id ? await store.getRun(job.run_id) : undefined;
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
    // The run's start time is the moment the throttle gate admits it, so throttle history is exact.
    const admittedAt = Date.now();
    if (run.started_at === null && run.meta.throttleKey) {
      // FIFO: once a key is throttled, no later job of that key may overtake it in this tick. The job
      // keeps its original run_at, so (run_at, id) order is arrival order on every later tick too.
      if (throttled.has(run.meta.throttleKey)) return;
      const later = await throttleCheck(store, fn.config, run.meta.throttleKey, admittedAt);
      if (later > 0) {
        throttled.add(run.meta.throttleKey);
        return;
      }
    }
    const keys = run.meta.concurrency ?? [];
    if (!this.slots.tryAcquire(keys)) return; // stays due; retried when a slot frees (poke on finish)
    if (!(await store.leaseJob(job.id))) {
      this.slots.release(keys);
      return;
    }
    const work = executeCall(this.ctx, job, fn, this.abort.signal, admittedAt)
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
          const w = await store.waitFor(job.run_id, job.step_id);
          const error = job.payload.error;
          // Only the side that removes the wait row resumes the step (event vs. timeout race).
          if (w && !(await store.takeWait(w.id))) break;
          if (!w && !error) break;
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
          const events = await ctx.withRunLock(`flow:batch:${flowKey}`, async () => {
            await store.deleteJob(job.id);
            return takeBatch(store, flowKey);
          });
          if (fn && events.length) await createRun(ctx, fn, events);
          break;
        }
        case "cron":
          await this.fireCron(job);
          break;
        case "timeout-start": {
          await store.deleteJob(job.id);
          const run = job.run_id ? await store.getRun(job.run_id) : undefined;
          if (run && run.status === "queued" && run.started_at === null) await cancelRun(ctx, run.id, "timeouts.start");
          break;
        }
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
    await ctx.store.sql.tx(async (q) => {
      const s = ctx.store.with(q);
      await s.deleteJob(job.id);
      if (fn && next !== undefined) await s.insertJob("cron", next, { payload: job.payload, id: `cron:${fnId}:${cron}:${next}` });
    });
    if (!fn) return;
    const id = ulid();
    const event = { id, name: CRON_EVENT, data: { cron }, ts: Date.now() };
    await ctx.store.insertEvent(id, null, event);
    await createRun(ctx, fn, [event]);
  }
}
