import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { suppressions } from "@/db/schema";
import { addressHash } from "@/core/messages/address-hash";

type Channel = "email" | "sms";

export async function isSuppressed(db: Db, params: { workspaceId: string; channel: Channel; address: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: suppressions.id })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, params.workspaceId),
        eq(suppressions.channel, params.channel),
        eq(suppressions.addressHash, addressHash(params.channel, params.address)),
      ),
    );
  return Boolean(row);
}

/** Idempotent: suppressing an address twice keeps the first reason. */
export async function suppress(db: Db, params: { workspaceId: string; channel: Channel; address: string; reason: string }): Promise<void> {
  await db
    .insert(suppressions)
    .values({
      workspaceId: params.workspaceId,
      channel: params.channel,
      addressHash: addressHash(params.channel, params.address),
      reason: params.reason,
    })
    .onConflictDoNothing();
}

/**
 * Lifts a suppression only if it was added for `reason`: an SMS START undoes the STOP that
 * suppressed the number, never a suppression for a failure or a complaint.
 */
export async function unsuppress(db: Db, params: { workspaceId: string; channel: Channel; address: string; reason: string }): Promise<boolean> {
  const rows = await db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.workspaceId, params.workspaceId),
        eq(suppressions.channel, params.channel),
        eq(suppressions.addressHash, addressHash(params.channel, params.address)),
        eq(suppressions.reason, params.reason),
      ),
    )
    .returning({ id: suppressions.id });
  return rows.length > 0;
}
