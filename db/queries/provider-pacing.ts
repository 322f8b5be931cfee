import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { providerPacing } from "@/db/schema";
import { rowsOf } from "./rows-of";

/**
 * Takes the next send slot of a provider account, `costMs` wide: the slot starts where the
 * previous one ended, or — if that is further in the past (nobody was ready to send) — at most
 * `catchUpMs` before now. That catch-up lives inside the provider's own burst allowance (a
 * token bucket holding a second's worth of requests), so a sender that was late by a few
 * hundred milliseconds does not lose the provider's capacity for good. One atomic upsert, so
 * concurrent senders in any process each get their own slot and the long-run rate is exactly
 * one request per `costMs`. "Now" is the app's clock, not the server's: the caller waits for the
 * slot by comparing it with Date.now(), so a slot on another clock is waited for too long or not
 * at all (with the clock moved ahead, every slot looked past and the pacing let everything through).
 */
export async function takeProviderSlot(db: Db, params: { account: string; costMs: number; catchUpMs: number; now: Date }): Promise<Date> {
  const now = sql`${params.now.toISOString()}::timestamptz`;
  const result = await db.execute<{ slot: string | Date }>(sql`
    insert into ${providerPacing} (account, next_at) values (${params.account}, ${now} + ${params.costMs} * interval '1 millisecond')
    on conflict (account) do update
      set next_at = greatest(${providerPacing.nextAt}, ${now} - ${params.catchUpMs} * interval '1 millisecond') + ${params.costMs} * interval '1 millisecond'
    returning next_at - ${params.costMs} * interval '1 millisecond' as slot`);
  const slot = rowsOf<{ slot: string | Date }>(result)[0]!.slot;
  return slot instanceof Date ? slot : new Date(slot);
}
