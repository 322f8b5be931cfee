import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { FnConfig } from "../types";

/**
 * Throttle gates run *starts*: at most `limit` (+ `burst`) runs start in any `period` per key.
 * Excess runs are not dropped — their start jobs wait in FIFO order (jobs sort by time, then
 * creation id). Returns 0 if the run may start now, else when to try again.
 */
export async function throttleCheck(store: Store, cfg: FnConfig, key: string, now: number): Promise<number> {
  const t = cfg.throttle;
  if (!t) return 0;
  const period = parseDuration(t.period) ?? 60_000;
  const capacity = Math.max(1, t.limit) + (t.burst ?? 0);
  const state = await store.getFlow<{ starts: number[] }>("throttle", key, now);
  const starts = (state?.starts ?? []).filter((s) => s > now - period);
  if (starts.length >= capacity) return (starts[starts.length - capacity] as number) + period;
  starts.push(now);
  await store.setFlow("throttle", key, { starts: starts.slice(-capacity) }, now + period);
  return 0;
}
