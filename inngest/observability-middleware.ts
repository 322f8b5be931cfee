import { type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { Middleware } from "inngest";
import { addToLogContext, withLogContext } from "@/lib/observability/log-context";
import { logger } from "@/lib/observability/logger";
import { metrics, stepLabel } from "@/lib/observability/metrics";

type AnyFunction = Middleware.WrapRequestArgs["fn"];
type EventLike = { name?: string; data?: unknown };

/** Inngest runs a function's onFailure handler as a run of its own, triggered by this event. */
const FAILURE_EVENT = "inngest/function.failed";

/**
 * The function id as written in its file (`send-notification`), not the app-prefixed one; its
 * onFailure handler's runs are `send-notification-failure`, as Inngest names them.
 */
function functionName(fn: AnyFunction, event?: EventLike): string {
  const id = fn?.opts.id ?? "unknown";
  return event?.name === FAILURE_EVENT ? `${id}-failure` : id;
}

/** The workspace the event is about, also through a failure event's copy of the original. */
function workspaceOf(event: EventLike): string | undefined {
  const data = event.data as { workspaceId?: unknown; event?: { data?: { workspaceId?: unknown } } } | undefined;
  const workspaceId = data?.workspaceId ?? data?.event?.data?.workspaceId;
  return typeof workspaceId === "string" ? workspaceId : undefined;
}

/** Runs `work` in a span that ends (and records an error) with it; a no-op span unless tracing is on. */
function inSpan<T>(name: string, attributes: Record<string, string | number>, work: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer("sendline").startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Metrics, log context and spans for every function this client serves, present and future
 * (registered once, in inngest/client.ts). Each call from Inngest gets the run's id and function
 * in the log context (and, once the event is known, its id and workspace), so any line written
 * while it runs — here, in lib/, in db/ — says which run it belongs to. Step attempts are timed,
 * retries counted from the attempt number, finished runs counted by outcome, and the queue lag
 * measured once per run, from the event's timestamp to the run's first call.
 */
export class ObservabilityMiddleware extends Middleware.BaseMiddleware {
  readonly id = "sendline:observability";

  override wrapRequest({ next, fn, runId }: Middleware.WrapRequestArgs) {
    const name = functionName(fn);
    return withLogContext({ runId, function: name }, () =>
      inSpan(`inngest ${name}`, { "inngest.function": name, "inngest.run_id": runId }, () => next()),
    );
  }

  override wrapFunctionHandler({ ctx, fn, next }: Middleware.WrapFunctionHandlerArgs) {
    // Into the request's own context, not a nested one: the SDK's error line, written by a
    // wrapper outside this one, then carries the event and workspace too.
    addToLogContext({ function: functionName(fn, ctx.event), eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event), attempt: ctx.attempt });
    return next();
  }

  override wrapStepHandler({ ctx, fn, next, stepInfo }: Middleware.WrapStepHandlerArgs) {
    const name = functionName(fn, ctx.event);
    const step = stepInfo.options.id;
    const labels = { function: name, step: stepLabel(step) };
    const { functionStepDuration, functionRetries } = metrics();
    if (ctx.attempt > 0) functionRetries.inc(labels);
    const stop = functionStepDuration.startTimer(labels);
    return withLogContext({ step, attempt: ctx.attempt }, () =>
      inSpan(`step ${step}`, { "inngest.function": name, "inngest.step": step, "inngest.attempt": ctx.attempt }, async () => {
        try {
          const output = await next();
          stop({ outcome: "ok" });
          return output;
        } catch (error) {
          stop({ outcome: "error" });
          throw error;
        }
      }),
    );
  }

  override onRunStart({ ctx, fn }: Middleware.OnRunStartArgs) {
    const ts = ctx.event.ts;
    if (typeof ts === "number" && ts > 0) metrics().functionQueueLag.observe({ function: functionName(fn, ctx.event) }, Math.max(0, Date.now() - ts) / 1000);
  }

  override onRunComplete({ ctx, fn }: Middleware.OnRunCompleteArgs) {
    const name = functionName(fn, ctx.event);
    metrics().functionRuns.inc({ function: name, outcome: "completed" });
    logger.info({ runId: ctx.runId, function: name, eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event) }, "function run completed");
  }

  override onRunError({ ctx, fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    const name = functionName(fn, ctx.event);
    if (!isFinalAttempt) {
      metrics().functionRetries.inc({ function: name, step: "" });
      return;
    }
    metrics().functionRuns.inc({ function: name, outcome: "failed" });
    logger.warn({ runId: ctx.runId, function: name, eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event), err: error }, "function run failed");
  }
}
