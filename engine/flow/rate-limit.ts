import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { FnConfig } from "../types";

/** rateLimit drops: at most `limit` runs start per sliding `period` per key; the rest are skipped. */
export async function rateLimitAllows(store: Store, cfg: FnConfig, key: string, now: number): Promise<boolean> {
  const r = cfg.rateLimit;
  if (!r) return true;
  const period = parseDuration(r.period) ?? 60_000;
  const state = await store.getFlow<{ hits: number[] }>("ratelimit", key, now);
  const hits = (state?.hits ?? []).filter((t) => t > now - period);
  if (hits.length >= r.limit) return false;
  hits.push(now);
  await store.setFlow("ratelimit", key, { hits }, now + period);
  return true;
}
