import type { EngineContext } from "./context";
import { parseDuration, resolveTime } from "./duration";
import { ulid } from "./ids";
import { createRun, finishRunLocked, INVOKED_EVENT, isActive, memoize } from "./runs";
import { canonicalBody, signBody } from "./signing";
import type { HistoryEntry, Store } from "./store/store";
import type { FnRow, JobRow, RunRow } from "./types";

const CALL_TIMEOUT_MS = 5 * 60 * 1000;

interface Op {
  op: string;
  id: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
}

export function maxAttempts(fn: FnRow): number {
  const retries = fn.config.steps.step?.retries?.attempts;
  return (retries ?? 4) + 1;
}

/** When to retry after failed attempt `attempt` (0-based): the engine's backoff, unless `Retry-After` (seconds or a date) says. */
export function retryAt(ctx: EngineContext, attempt: number, retryAfter: string | null, now = Date.now()): number {
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return now + secs * 1000;
    const t = Date.parse(retryAfter);
    if (!Number.isNaN(t)) return Math.max(now, t);
  }
  return now + ctx.backoff(attempt);
}

function stepUrl(fn: FnRow, stepId: string): string {
  const u = new URL(fn.config.steps.step?.runtime.url ?? fn.app_url);
  u.searchParams.set("fnId", fn.id);
  u.searchParams.set("stepId", stepId);
  return u.toString();
}

export function buildRequest(run: RunRow, job: JobRow) {
  const attempt = job.step_id ? (run.step_attempts[job.step_id] ?? 0) : run.attempt;
  return {
    event: run.event,
    events: run.events,
    steps: run.steps,
    version: 2,
    ctx: {
      run_id: run.id,
      fn_id: run.fn_id,
      qi_id: job.id,
      attempt,
      disable_immediate_execution: run.parallel,
      use_api: false,
      stack: { stack: run.stack, current: run.stack.length },
    },
  };
}

/**
 * Performs one call to the app for a run and applies the reply. The job row is deleted only
 * together with the state change, so a crash mid-call leaves the job to be retried on restart.
 */
export async function executeCall(
  ctx: EngineContext,
  job: JobRow,
  fn: FnRow,
  signal: AbortSignal,
  admittedAt = Date.now(),
  known?: RunRow,
): Promise<void> {
  const runId = job.run_id as string;
  let run = known ?? (await ctx.store.getRun(runId));
  if (run && run.started_at === null) {
    const queued = run;
    run = await ctx.withRunLock(runId, async () => {
      const finish = parseDuration(fn.config.timeouts?.finish);
      // One conditional UPDATE instead of a re-read: it fails only if the run started or was cancelled meanwhile.
      const started =
        finish === undefined
          ? await ctx.store.markStarted(runId, admittedAt)
          : await ctx.store.tx(async (s) => {
              if (!(await s.markStarted(runId, admittedAt))) return false;
              await s.insertJob("timeout-finish", admittedAt + finish, { runId });
              return true;
            });
      return started ? { ...queued, status: "running" as const, started_at: admittedAt } : ctx.store.getRun(runId);
    });
  }
  if (!run || !isActive(run.status)) {
    await ctx.store.deleteJob(job.id);
    return;
  }
  const max = maxAttempts(fn);
  const payload = buildRequest(run, job);
  (payload.ctx as Record<string, unknown>).max_attempts = max;
  const body = ctx.signingKey ? canonicalBody(payload) : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-inngest-server-kind": ctx.signingKey ? "cloud" : "dev" };
  if (ctx.signingKey) headers["x-inngest-signature"] = signBody(body, ctx.signingKey);

  let status = 0;
  let text = "";
  let resHeaders = new Headers();
  const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS);
  try {
    const res = await ctx.transport({
      url: stepUrl(fn, job.step_id ?? "step"),
      method: "POST",
      headers,
      body,
      signal: AbortSignal.any([signal, timeout]),
    });
    status = res.status;
    text = res.text;
    resHeaders = res.headers;
  } catch (err) {
    if (signal.aborted) throw err; // engine stopping: leave the job for the next start
    text = JSON.stringify({ name: "Error", message: `call failed: ${(err as Error).message}` });
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  await ctx.withRunLock(runId, () => applyReply(ctx, job, fn, { status, parsed, headers: resHeaders }));
  ctx.poke();
}

async function applyReply(
  ctx: EngineContext,
  job: JobRow,
  fn: FnRow,
  reply: { status: number; parsed: unknown; headers: Headers },
) {
  const { store } = ctx;
  const run = await store.getRun(job.run_id as string);
  if (!run || !isActive(run.status)) {
    await store.deleteJob(job.id);
    return;
  }
  const max = maxAttempts(fn);
  const noRetry = reply.headers.get("x-inngest-no-retry") === "true";
  const retryAfterHeader = reply.headers.get("retry-after");
  const now = Date.now();
  run.meta.pending ??= [];
  run.meta.names ??= {};

  if (reply.status === 200) {
    await finishRunLocked(ctx, run, "completed", { output: reply.parsed }, job.id);
    return;
  }
  if (reply.status !== 206 || !Array.isArray(reply.parsed)) {
    // Function-level error: retry the whole call (or fail when the SDK says it is final).
    run.attempt += 1;
    const error = reply.parsed ?? { name: "Error", message: `HTTP ${reply.status}` };
    const errored = { type: "call.errored", data: { status: reply.status, error } };
    if (noRetry || reply.status === 400 || run.attempt >= max) {
      await finishRunLocked(ctx, run, "failed", { error }, job.id, [errored]);
      return;
    }
    await store.tx(async (s) => {
      await s.saveRunState(run, [errored]);
      await s.deleteJob(job.id);
      await s.insertJob("call", retryAt(ctx, run.attempt - 1, retryAfterHeader, now), { runId: run.id, stepId: job.step_id });
    });
    return;
  }

  const ops = reply.parsed as Op[];
  // Writes that must land with the state change (same transaction), and the timeline entries saved with it.
  const newJobs: Array<(s: Store) => Promise<unknown>> = [];
  const entries: HistoryEntry[] = [];
  const planned: Op[] = [];
  let complete: { data: unknown } | undefined;
  if (job.step_id) run.meta.pending = run.meta.pending.filter((p) => p !== job.step_id);
  for (const op of ops) {
    if (op.displayName || op.name) run.meta.names[op.id] = op.displayName ?? op.name ?? op.id;
    const name = run.meta.names[op.id];
    switch (op.op) {
      case "StepRun":
      case "Step":
        memoize(run, op.id, { data: op.data ?? null });
        entries.push({ type: "step.completed", stepId: op.id, name, data: op.data ?? null });
        break;
      case "StepFailed":
        memoize(run, op.id, { error: op.error ?? op.data });
        entries.push({ type: "step.failed", stepId: op.id, name, data: op.error });
        break;
      case "StepError": {
        const attempts = (run.step_attempts[op.id] ?? 0) + 1;
        entries.push({ type: "step.errored", stepId: op.id, name, data: { attempt: attempts - 1, error: op.error } });
        if (noRetry || attempts >= max) {
          memoize(run, op.id, { error: op.error });
          break;
        }
        run.step_attempts[op.id] = attempts;
        run.meta.pending.push(op.id);
        const at = retryAt(ctx, attempts - 1, retryAfterHeader, now);
        newJobs.push((s) => s.insertJob("call", at, { runId: run.id, stepId: op.id }));
        break;
      }
      case "StepPlanned":
        planned.push(op);
        break;
      case "Sleep": {
        const until = resolveTime(String(op.opts?.duration ?? op.name ?? "0s"), now);
        run.meta.pending.push(op.id);
        entries.push({ type: "step.sleeping", stepId: op.id, name, data: { until: new Date(until).toISOString() } });
        newJobs.push((s) => s.insertJob("sleep", until, { runId: run.id, stepId: op.id }));
        break;
      }
      case "WaitForEvent": {
        const timeout = parseDuration(op.opts?.timeout as string | undefined);
        const expiresAt = timeout === undefined ? null : now + timeout;
        const eventName = String(op.opts?.event ?? op.name);
        run.meta.pending.push(op.id);
        entries.push({ type: "step.waiting", stepId: op.id, name, data: { event: eventName, if: op.opts?.if ?? null } });
        newJobs.push(async (s) => {
          await s.insertWait({
            run_id: run.id,
            kind: "event",
            step_id: op.id,
            event_name: eventName,
            expr: (op.opts?.if as string | undefined) ?? null,
            target_run: null,
            expires_at: expiresAt,
          });
          if (expiresAt !== null) await s.insertJob("wait-timeout", expiresAt, { runId: run.id, stepId: op.id });
        });
        break;
      }
      case "InvokeFunction": {
        run.meta.pending.push(op.id);
        entries.push({ type: "step.invoking", stepId: op.id, name, data: op.opts });
        // The child starts from a job committed with this state change, so a crash between the
        // two cannot leave the parent waiting for a child that was never created.
        newJobs.push((s) => s.insertJob("invoke", now, { runId: run.id, stepId: op.id, payload: { childId: ulid(), opts: op.opts ?? {} } }));
        break;
      }
      case "RunComplete":
        complete = { data: op.data ?? null };
        break;
      case "DiscoveryRequest":
        break;
      default:
        ctx.log.warn(`unsupported op ${op.op} in run ${run.id}`);
    }
  }
  if (complete) {
    if (newJobs.length)
      await store.tx(async (s) => {
        for (const make of newJobs) await make(s);
      });
    await finishRunLocked(ctx, run, "completed", { output: complete.data }, job.id, entries);
    return;
  }
  if (planned.length > 1 || planned.some((p) => p.opts?.parallelMode)) run.parallel = true;
  for (const p of planned) {
    if (run.meta.pending.includes(p.id) || p.id in run.steps) continue;
    run.meta.pending.push(p.id);
    newJobs.push((s) => s.insertJob("call", now, { runId: run.id, stepId: p.id }));
  }
  if (run.meta.pending.length === 0) newJobs.push((s) => s.insertJob("call", now, { runId: run.id }));
  await store.tx(async (s) => {
    await s.saveRunState(run, entries);
    await s.deleteJob(job.id);
    for (const make of newJobs) await make(s);
  });
}

/**
 * The "invoke" job: records the parent's wait (and its timeout) first, then creates the child
 * with the id chosen when the parent's state was saved. Every part is idempotent, so a job rerun
 * after a crash finishes the work instead of repeating it; a child that completes instantly
 * still finds the wait.
 */
export async function startInvoke(ctx: EngineContext, job: JobRow) {
  const { store } = ctx;
  const parentId = job.run_id as string;
  const stepId = job.step_id as string;
  const childId = String(job.payload.childId);
  const opts = (job.payload.opts ?? {}) as Record<string, unknown>;
  const now = job.run_at;
  const parent = await store.getRun(parentId);
  if (!parent || !isActive(parent.status)) {
    await store.deleteJob(job.id);
    return;
  }
  const fnId = String(opts.function_id ?? "");
  const payload = (opts.payload ?? {}) as { data?: Record<string, unknown>; user?: unknown };
  const timeout = parseDuration(opts.timeout as string | undefined);
  const fn = await store.getFunction(fnId);
  const fail = (message: string) =>
    store.tx(async (s) => {
      await s.deleteJob(job.id);
      await s.insertJob("wait-timeout", Date.now(), { runId: parentId, stepId, payload: { error: { name: "Error", message }, direct: true } });
    });
  if (!fn) return fail(`could not find function ${fnId} to invoke`);
  if (!(await store.waitFor(parentId, stepId))) {
    await store.tx(async (s) => {
      await s.insertWait({
        run_id: parentId,
        kind: "invoke",
        step_id: stepId,
        event_name: null,
        expr: null,
        target_run: childId,
        expires_at: timeout === undefined ? null : now + timeout,
      });
      if (timeout !== undefined)
        await s.insertJob("wait-timeout", now + timeout, {
          runId: parentId,
          stepId,
          payload: { error: { name: "InngestInvokeTimeoutError", message: "Timed out waiting for invoked function to complete" } },
        });
    });
  }
  const created = await createRun(
    ctx,
    fn,
    [
      {
        id: ulid(),
        name: INVOKED_EVENT,
        data: { ...(payload.data ?? {}), _inngest: { source_fn_id: parent.fn_id, source_run_id: parent.id, expire: timeout } },
        user: payload.user,
        ts: now,
      },
    ],
    { parent: { runId: parentId, stepId }, id: childId },
  );
  if (!created) {
    // Skipped by the child's idempotency or singleton: answer the step rather than wait forever.
    const w = await store.waitFor(parentId, stepId);
    if (w) await store.takeWait(w.id);
    return fail(`invoked function ${fnId} was skipped (idempotency or singleton)`);
  }
  await store.deleteJob(job.id);
}
