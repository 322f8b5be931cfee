import type { Db } from "@/db";
import { countPushSubscriptions, findPushSubscriptionByAddress, MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT, type PushSubscription, upsertPushSubscription } from "@/db/queries/push-subscriptions";
import type { PushSubscriptionInput } from "@/core/push/push-subscription-input";

export type RegisterResult = { ok: true; row: PushSubscription; created: boolean } | { ok: false; reason: "too_many" };

/**
 * Registers one device of a contact (the contact is known to exist in the workspace). A device
 * seen before is updated whatever the count, so a page re-subscribing on every load never hits
 * the cap; only a new device beyond it is refused.
 */
export async function registerPushSubscription(db: Db, params: { workspaceId: string; contactId: string; input: PushSubscriptionInput }): Promise<RegisterResult> {
  const { input } = params;
  const values =
    input.type === "web_push"
      ? { kind: "web_push" as const, address: input.endpoint!, p256dh: input.keys!.p256dh, auth: input.keys!.auth }
      : { kind: "fcm" as const, address: input.token!, p256dh: null, auth: null };
  const count = await countPushSubscriptions(db, { workspaceId: params.workspaceId, contactId: params.contactId });
  if (count >= MAX_PUSH_SUBSCRIPTIONS_PER_CONTACT) {
    // At the cap only an update goes through: the upsert would otherwise add one more.
    const existing = await upsertIfExisting(db, params.workspaceId, params.contactId, values, input.label ?? null);
    return existing ? { ok: true, row: existing, created: false } : { ok: false, reason: "too_many" };
  }
  const { row, created } = await upsertPushSubscription(db, { workspaceId: params.workspaceId, contactId: params.contactId, ...values, label: input.label ?? null });
  return { ok: true, row, created };
}

async function upsertIfExisting(
  db: Db,
  workspaceId: string,
  contactId: string,
  values: { kind: PushSubscription["kind"]; address: string; p256dh: string | null; auth: string | null },
  label: string | null,
): Promise<PushSubscription | null> {
  const existing = await findPushSubscriptionByAddress(db, { workspaceId, kind: values.kind, address: values.address });
  if (!existing || existing.contactId !== contactId) return null;
  return (await upsertPushSubscription(db, { workspaceId, contactId, ...values, label })).row;
}
