import type { Db } from "@/db";
import { takeProviderSlot } from "@/db/queries/provider-pacing";

/**
 * Waits for this sender's turn at a provider account that takes `perSecond` requests (or SMS
 * segments) per second, `cost` of them at once. Slots come from the database, so every chunk run
 * in every process shares one schedule and the provider never sees more than its limit.
 */
export async function takeSendSlot(db: Db, params: { account: string; perSecond: number; cost?: number }): Promise<void> {
  const costMs = Math.ceil(((params.cost ?? 1) * 1_000) / params.perSecond);
  // A provider allowing 2+ requests a second lets one late request be made up at once (its token
  // bucket holds a second's worth); at 1 per second there is no burst to use.
  const catchUpMs = params.perSecond >= 2 ? costMs : 0;
  const slot = await takeProviderSlot(db, { account: params.account, costMs, catchUpMs });
  const wait = slot.getTime() - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
