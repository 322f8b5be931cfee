import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { FnConfig } from "../types";

/**
 * Throttle gates run *starts* with GCRA, as Inngest's queue does (its `gcra()` admits
 * `limit + burst` at once and then refills one start every `period / limit`): a sustained rate of
 * `limit` per `period`, with up to `limit + burst` starts back to back when idle. Excess runs are
 * not dropped — they wait in FIFO order. Returns 0 if the run may start now, else the exact time
 * the next start of this key is allowed.
 */
export async function throttleCheck(store: Store, cfg: FnConfig, key: string, now: number): Promise<number> {
  const t = cfg.throttle;
  if (!t) return 0;
  const period = parseDuration(t.period) ?? 60_000;
  const limit = Math.max(1, t.limit);
  const emission = period / limit;
  const tolerance = emission * (limit + Math.max(0, t.burst ?? 0));
  const state = await store.getFlow<{ tat: number }>("throttle", key, now);
  const tat = Math.max(state?.tat ?? now, now) + emission;
  const allowAt = tat - tolerance;
  if (allowAt > now) return allowAt;
  await store.setFlow("throttle", key, { tat }, tat);
  return 0;
}
