import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { FnConfig } from "../types";

/** Most of an emission interval a late admission may reclaim: scheduler latency, not idle time. */
const MAX_CREDIT_FRACTION = 0.1;
const MAX_CREDIT_MS = 1000;

/**
 * Throttle gates run *starts* with GCRA, as Inngest's queue does (its `gcra()` admits
 * `limit + burst` at once and then refills one start every `period / limit`): a sustained rate of
 * `limit` per `period`, with up to `limit + burst` starts back to back when idle. Excess runs are
 * not dropped — they wait in FIFO order. Returns 0 if the run may start now, else the exact time
 * the next start of this key is allowed.
 *
 * A run that became due at `dueAt` (the moment the gate reopened, for a deferred run) and is
 * admitted a little later is booked at the moment it could have started, at most a tenth of the
 * interval (≤ 1 s) back: otherwise each start would shift the schedule by the scheduler's latency
 * and a queue throttled to 1 per 5 s would drift below its rate.
 */
export async function throttleCheck(
  store: Pick<Store, "getFlow" | "setFlow">,
  cfg: FnConfig, key: string, now: number, dueAt = now): Promise<number> {
  const t = cfg.throttle;
  if (!t) return 0;
  const period = parseDuration(t.period) ?? 60_000;
  const limit = Math.max(1, t.limit);
  const emission = period / limit;
  const tolerance = emission * (limit + Math.max(0, t.burst ?? 0));
  const credit = Math.min(emission * MAX_CREDIT_FRACTION, MAX_CREDIT_MS);
  const state = await store.getFlow<{ tat: number }>("throttle", key, now);
  const opensAt = state ? state.tat + emission - tolerance : -Infinity;
  if (opensAt > now) return opensAt;
  const bookedAt = Math.min(now, Math.max(opensAt, dueAt, now - credit));
  const tat = Math.max(state?.tat ?? bookedAt, bookedAt) + emission;
  // Kept `credit` past `tat`: a booking reaching back before `tat` must still see it.
  await store.setFlow("throttle", key, { tat }, tat + credit);
  return 0;
}
