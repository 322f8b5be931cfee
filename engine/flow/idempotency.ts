import type { Store } from "../store/store";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * One run per function and key value for 24 hours: the function's idempotency key, or (kind
 * "event-id") the user-set id of its triggering event. Claims the keys of many new runs in one
 * statement; within the batch the first run of a key wins. Returns the run ids that may start.
 */
export async function claimIdempotency(
  store: Store,
  claims: Array<{ fnId: string; keyValue: string; runId: string }>,
  now: number,
  kind: "idempotency" | "event-id" = "idempotency",
): Promise<Set<string>> {
  const first = new Map<string, string>();
  for (const c of claims) if (!first.has(`${c.fnId}:${c.keyValue}`)) first.set(`${c.fnId}:${c.keyValue}`, c.runId);
  const won = await store.claimFlows(
    kind,
    [...first].map(([key, runId]) => ({ key, value: { runId } })),
    now + IDEMPOTENCY_WINDOW_MS,
    now,
  );
  return new Set([...first].filter(([key]) => won.has(key)).map(([, runId]) => runId));
}
