import type { Db } from "@/db";
import { takeProviderSlot } from "@/db/queries/provider-pacing";

export type SlotRequest = { account: string; perSecond: number; cost?: number };

/**
 * Reserves this sender's turn at a provider account that takes `perSecond` requests (or SMS
 * segments) per second, `cost` of them at once, and returns when it starts. Slots come from the
 * database, so every run in every process shares one schedule and the provider never sees more
 * than its limit. A caller that will not wait in place (a step that sleeps until the slot
 * instead) reserves here; one that will, calls takeSendSlot.
 */
export async function reserveSendSlot(db: Db, params: SlotRequest): Promise<Date> {
  const costMs = Math.ceil(((params.cost ?? 1) * 1_000) / params.perSecond);
  // A provider allowing 2+ requests a second lets one late request be made up at once (its token
  // bucket holds a second's worth); at 1 per second there is no burst to use.
  const catchUpMs = params.perSecond >= 2 ? costMs : 0;
  return takeProviderSlot(db, { account: params.account, costMs, catchUpMs, now: new Date() });
}

/** Reserves a slot (reserveSendSlot) and waits for it. */
export async function takeSendSlot(db: Db, params: SlotRequest): Promise<void> {
  await waitUntil(await reserveSendSlot(db, params));
}

export async function waitUntil(at: Date): Promise<void> {
  const wait = at.getTime() - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
