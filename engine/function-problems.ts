import { parseDuration } from "./duration";
import type { FnConfig } from "./types";

/**
 * What Inngest refuses at sync (pkg/inngest/function.go `Validate`, pkg/inngest/batch.go
 * `IsValid`), in its words: a batch run has many events, so per-event cancellation, debouncing,
 * singletons and run priority have no single event to read. Batching with rateLimit or idempotency
 * is allowed there (despite the docs), so it is here.
 */
export function functionProblems(fn: FnConfig): string[] {
  const b = fn.batchEvents;
  if (!b) return [];
  const problems: string[] = [];
  if (!(b.maxSize >= 2)) problems.push(`batch size cannot be smaller than 2: ${b.maxSize}`);
  const timeout = parseDuration(b.timeout);
  if (timeout === undefined) problems.push(`invalid timeout string: ${b.timeout}`);
  else if (timeout < 1000) problems.push("batch timeout should be more than 1s");
  if (fn.cancel?.length) problems.push("Batching and cancellation are mutually exclusive");
  if (fn.debounce) problems.push("Batching and debouncing are mutually exclusive");
  if (fn.singleton) problems.push("Batching and singletons are mutually exclusive");
  if (fn.priority?.run) problems.push("A function cannot specify Priority.Run and Batch together");
  return problems;
}
