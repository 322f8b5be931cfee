import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { providerPacing } from "@/db/schema";
import { rowsOf } from "./rows-of";

/**
 * Takes the next send slot of a provider account, `costMs` wide: the slot starts at the later of
 * now and the end of the previous slot. One atomic upsert, so concurrent senders in any process
 * each get their own slot and the provider sees at most one request per `costMs` on average.
 */
export async function takeProviderSlot(db: Db, params: { account: string; costMs: number }): Promise<Date> {
  const result = await db.execute<{ slot: string | Date }>(sql`
    insert into ${providerPacing} (account, next_at) values (${params.account}, now() + ${params.costMs} * interval '1 millisecond')
    on conflict (account) do update
      set next_at = greatest(${providerPacing.nextAt}, now()) + ${params.costMs} * interval '1 millisecond'
    returning next_at - ${params.costMs} * interval '1 millisecond' as slot`);
  const slot = rowsOf<{ slot: string | Date }>(result)[0]!.slot;
  return slot instanceof Date ? slot : new Date(slot);
}
