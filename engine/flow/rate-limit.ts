import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { FnConfig } from "../types";

/**
 * rateLimit is a GCRA, as Inngest's (pkg/execution/ratelimit/lua/ratelimit.lua): one admission per
 * emission interval `period / limit`, plus a burst of ⌊limit / 10⌋ (ratelimit_lua.go) when the
 * key has been idle. So `{ limit: 3, period: "24h" }` admits one event now and the next 8 h later,
 * not three at once as a sliding window would. Refused events are skipped, never queued.
 * State per key: the theoretical arrival time `tat` of the next admission.
 */
export async function rateLimitAllows(store: Pick<Store, "getFlow" | "setFlow">, cfg: FnConfig, key: string, now: number): Promise<boolean> {
  const r = cfg.rateLimit;
  if (!r) return true;
  const period = parseDuration(r.period) ?? 60_000;
  const limit = Math.max(1, r.limit);
  const emission = period / limit;
  const burst = Math.floor(limit / 10);
  const state = await store.getFlow<{ tat: number }>("ratelimit", key, now);
  const tat = Math.max(state?.tat ?? now, now);
  // Admitted while the booked-ahead time stays within the burst allowance.
  if (tat - now > emission * burst) return false;
  const next = tat + emission;
  await store.setFlow("ratelimit", key, { tat: next }, next);
  return true;
}
