import { type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { Middleware } from "inngest";
import { addToLogContext, withLogContext } from "@/lib/observability/log-context";
import { logger } from "@/lib/observability/logger";
import { metrics, stepLabel } from "@/lib/observability/metrics";

type AnyFunction = Middleware.WrapRequestArgs["fn"];

/** The function id as written in its file (`send-notification`), not the app-prefixed one. */
function functionName(fn: AnyFunction): string {
  return fn?.opts.id ?? "unknown";
}

function workspaceOf(data: unknown): string | undefined {
  const workspaceId = (data as { workspaceId?: unknown } | undefined)?.workspaceId;
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

  override wrapFunctionHandler({ ctx, next }: Middleware.WrapFunctionHandlerArgs) {
    // Into the request's own context, not a nested one: the SDK's error line, written by a
    // wrapper outside this one, then carries the event and workspace too.
    addToLogContext({ eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event.data), attempt: ctx.attempt });
    return next();
  }

  override wrapStepHandler({ ctx, fn, next, stepInfo }: Middleware.WrapStepHandlerArgs) {
    const name = functionName(fn);
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
    if (typeof ts === "number" && ts > 0) metrics().functionQueueLag.observe({ function: functionName(fn) }, Math.max(0, Date.now() - ts) / 1000);
  }

  override onRunComplete({ ctx, fn }: Middleware.OnRunCompleteArgs) {
    const name = functionName(fn);
    metrics().functionRuns.inc({ function: name, outcome: "completed" });
    logger.info({ runId: ctx.runId, function: name, eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event.data) }, "function run completed");
  }

  override onRunError({ ctx, fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    const name = functionName(fn);
    if (!isFinalAttempt) {
      metrics().functionRetries.inc({ function: name, step: "" });
      return;
    }
    metrics().functionRuns.inc({ function: name, outcome: "failed" });
    logger.warn({ runId: ctx.runId, function: name, eventId: ctx.event.id, workspaceId: workspaceOf(ctx.event.data), err: error }, "function run failed");
  }
}
