import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { pushSubscriptions } from "@/db/schema";

export type PushSubscription = typeof pushSubscriptions.$inferSelect;
export type PushSubscriptionKind = PushSubscription["kind"];

/** A contact has a handful of devices; more than this many is a client registering in a loop. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT = 50;

/**
 * Registers a device for a contact, idempotently: the same endpoint or token again updates its
 * row (fresh keys after a browser re-subscribed, a new label) and moves it to this contact if
 * another one had it, since a device belongs to whoever last logged in on it. `created` tells a
 * first registration (201) from a repeat (200): `xmax = 0` only on a row this statement inserted.
 */
export async function upsertPushSubscription(
  db: Db,
  params: { workspaceId: string; contactId: string; kind: PushSubscriptionKind; address: string; p256dh: string | null; auth: string | null; label: string | null },
): Promise<{ row: PushSubscription; created: boolean }> {
  const [row] = await db
    .insert(pushSubscriptions)
    .values(params)
    .onConflictDoUpdate({
      target: [pushSubscriptions.workspaceId, pushSubscriptions.kind, pushSubscriptions.address],
      set: { contactId: params.contactId, p256dh: params.p256dh, auth: params.auth, label: params.label, updatedAt: sql`now()` },
    })
    .returning({ ...getTableColumns(pushSubscriptions), created: sql<boolean>`(xmax = 0)` });
  const { created, ...subscription } = row!;
  return { row: subscription, created };
}

/** A contact's devices, oldest first: the order a message tries them in and the API lists them. */
export async function listPushSubscriptions(db: Db, params: { workspaceId: string; contactId: string }): Promise<PushSubscription[]> {
  return db
    .select()
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, params.workspaceId), eq(pushSubscriptions.contactId, params.contactId)))
    .orderBy(asc(pushSubscriptions.createdAt), asc(pushSubscriptions.id))
    .limit(MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT);
}

export async function countPushSubscriptions(db: Db, params: { workspaceId: string; contactId: string }): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, params.workspaceId), eq(pushSubscriptions.contactId, params.contactId)));
  return row?.count ?? 0;
}

/** Unregisters one device of a contact; false when the contact has no such subscription. */
export async function deletePushSubscription(db: Db, params: { workspaceId: string; contactId: string; subscriptionId: string }): Promise<boolean> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.workspaceId, params.workspaceId),
        eq(pushSubscriptions.contactId, params.contactId),
        eq(pushSubscriptions.id, params.subscriptionId),
      ),
    )
    .returning({ id: pushSubscriptions.id });
  return rows.length > 0;
}

/**
 * Drops devices the push service said are gone. Matched on the address as well as the id: a
 * device re-registered with fresh keys between the send and this call keeps its row only if the
 * address changed, which is exactly when the old answer no longer applies.
 */
export async function removeExpiredPushSubscriptions(
  db: Db,
  params: { workspaceId: string; subscriptions: { id: string; address: string }[] },
): Promise<number> {
  let removed = 0;
  for (const subscription of params.subscriptions) {
    const rows = await db
      .delete(pushSubscriptions)
      .where(
        and(
          eq(pushSubscriptions.workspaceId, params.workspaceId),
          eq(pushSubscriptions.id, subscription.id),
          eq(pushSubscriptions.address, subscription.address),
        ),
      )
      .returning({ id: pushSubscriptions.id });
    removed += rows.length;
  }
  return removed;
}

export async function markPushSubscriptionsSent(db: Db, params: { workspaceId: string; ids: string[]; at?: Date }): Promise<void> {
  if (params.ids.length === 0) return;
  await db
    .update(pushSubscriptions)
    .set({ lastSentAt: params.at ?? new Date() })
    .where(and(eq(pushSubscriptions.workspaceId, params.workspaceId), inArray(pushSubscriptions.id, params.ids)));
}

export async function findPushSubscriptionByAddress(
  db: Db,
  params: { workspaceId: string; kind: PushSubscriptionKind; address: string },
): Promise<PushSubscription | undefined> {
  const [row] = await db
    .select()
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.workspaceId, params.workspaceId), eq(pushSubscriptions.kind, params.kind), eq(pushSubscriptions.address, params.address)));
  return row;
}
