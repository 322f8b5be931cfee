import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { type BreakerState, providerBreakers } from "@/db/schema";
import { rowsOf } from "./rows-of";

export type ProviderBreaker = typeof providerBreakers.$inferSelect;

/** A breaker's settings: it opens after `failures` failures within `windowMs`, and half-opens `coolDownMs` after opening. */
export type BreakerSettings = { failures: number; windowMs: number; coolDownMs: number };

/** What a caller may do now: `closed` call as usual, `trial` make the one half-open trial call, `open` do not call. */
export type BreakerAdmission = "closed" | "trial" | "open";

export async function listProviderBreakers(db: Db, params: { keys: string[] }): Promise<ProviderBreaker[]> {
  if (params.keys.length === 0) return [];
  return db.select().from(providerBreakers).where(inArray(providerBreakers.key, params.keys));
}

/**
 * Whether a call may go to the provider. A closed breaker (or none yet) costs one read. An open
 * breaker past its cool-down turns half-open for exactly one caller: the conditional UPDATE is
 * atomic, so of many concurrent senders in any number of processes one gets `trial` and the rest
 * `open`. A trial that never reported back (its process died) is presumed lost after another
 * cool-down, and the next caller takes a new one.
 */
export async function admitProviderCall(db: Db, params: { key: string; coolDownMs: number }): Promise<BreakerAdmission> {
  const [row] = await db.select({ state: providerBreakers.state }).from(providerBreakers).where(eq(providerBreakers.key, params.key));
  if (!row || row.state === "closed") return "closed";
  const claimed = await db.execute(sql`
    update ${providerBreakers}
       set state = 'half-open', trial_started_at = now(), updated_at = now()
     where key = ${params.key}
       and ((state = 'open' and opened_at <= now() - ${params.coolDownMs} * interval '1 millisecond')
         or (state = 'half-open' and trial_started_at <= now() - ${params.coolDownMs} * interval '1 millisecond'))
    returning key`);
  return rowsOf(claimed).length > 0 ? "trial" : "open";
}

/**
 * Counts one failure that says the provider is unhealthy. The row is locked for the count, so
 * concurrent failures from any process are all counted and exactly one of them sees the
 * breaker open (`opened`). In a closed breaker the count restarts once the window has passed,
 * and the breaker opens when it reaches the threshold; a failed half-open trial re-opens it
 * (a fresh cool-down); an open breaker stays open from its first opening.
 */
export async function recordProviderFailure(
  db: Db,
  params: { key: string; settings: BreakerSettings; error: string },
): Promise<{ state: BreakerState; failures: number; opened: boolean }> {
  const { key, settings } = params;
  const windowMs = settings.windowMs;
  return db.transaction(async (tx) => {
    await tx.insert(providerBreakers).values({ key }).onConflictDoNothing();
    const [before] = await tx.select({ state: providerBreakers.state }).from(providerBreakers).where(eq(providerBreakers.key, key)).for("update");
    const inWindow = sql`(state = 'closed' and window_started_at > now() - ${windowMs} * interval '1 millisecond')`;
    const failures = sql`(case when ${inWindow} then failures + 1 else 1 end)`;
    const opens = sql`(state <> 'closed' or ${failures} >= ${settings.failures})`;
    const result = await tx.execute(sql`
      update ${providerBreakers} set
        failures = ${failures},
        window_started_at = case when ${inWindow} then window_started_at else now() end,
        opened_at = case when state = 'open' then opened_at when ${opens} then now() else null end,
        state = case when ${opens} then 'open' else 'closed' end,
        trial_started_at = null,
        last_error = ${params.error.slice(0, 500)},
        updated_at = now()
      where key = ${key}
      returning state, failures`);
    const row = rowsOf<{ state: BreakerState; failures: number }>(result)[0]!;
    return { state: row.state, failures: Number(row.failures), opened: row.state === "open" && before!.state !== "open" };
  });
}

/**
 * A call went through: an open or half-open breaker closes (the provider answers again) and
 * its count starts over. Returns true for the one call that closed it. A closed breaker is
 * left alone, so failures spread over the window still add up.
 */
export async function recordProviderSuccess(db: Db, params: { key: string }): Promise<boolean> {
  const result = await db.execute(sql`
    update ${providerBreakers}
       set state = 'closed', failures = 0, window_started_at = null, opened_at = null, trial_started_at = null, updated_at = now()
     where key = ${params.key} and state <> 'closed'
    returning key`);
  return rowsOf(result).length > 0;
}
