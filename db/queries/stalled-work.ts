import { type AnyColumn, and, inArray, type SQL, sql } from "drizzle-orm";

/**
 * The watchdogs' one test for stalled work: a row still in one of its working statuses whose
 * last sign of progress is older than the cutoff. Campaigns and imports use it, so "stalled"
 * means the same thing for both; what a watchdog then does about it is its own business.
 */
export function stalledWork(params: { status: AnyColumn; working: readonly string[]; progressAt: SQL | AnyColumn; stalledBefore: Date }): SQL {
  return and(inArray(params.status, [...params.working]), sql`${params.progressAt} < ${params.stalledBefore.toISOString()}::timestamptz`)!;
}
