import type { FrequencyCap } from "@/core/delivery/frequency-cap";
import { type QuietHours, quietHoursEnd } from "@/core/delivery/quiet-hours";
import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { getDeliverySettings } from "@/db/queries/delivery-settings";
import type { Message } from "@/db/queries/messages";
import { getCategory, type NotificationCategory } from "@/db/queries/notification-categories";

/** What the delivery rules say about one message now. */
export type DeliveryRules = {
  /** The end of the quiet hours the recipient is in (ISO), or null: send now. */
  quietUntil: string | null;
  /** The category's frequency cap, when the message has a contact to count for. */
  cap: FrequencyCap | null;
  /** The workspace has quiet hours at all (a repeated request goes through the rules then, see needsDeliveryRules). */
  quietHoursSet: boolean;
};

type MessageLike = Pick<Message, "workspaceId" | "contactId" | "category">;

/**
 * The rules for a message: quiet hours in the contact's time zone (the workspace's zone for a
 * message without a contact, or a contact without a zone), skipped by urgent categories; the
 * category's cap, which counts per contact, so a message to a bare address has none.
 */
export async function deliveryRules(db: Db, message: MessageLike, now = new Date()): Promise<DeliveryRules> {
  const settings = await getDeliverySettings(db, { workspaceId: message.workspaceId });
  const category = message.category ? await getCategory(db, { workspaceId: message.workspaceId, key: message.category }) : undefined;
  const window = quietHoursOf(settings);
  let quietUntil: Date | null = null;
  if (window && !category?.urgent) {
    const contact = message.contactId ? await getContact(db, { workspaceId: message.workspaceId, contactId: message.contactId }) : undefined;
    quietUntil = quietHoursEnd(now, window, zoneOrDefault(contact?.timezone, settings.timezone));
  }
  return { quietUntil: quietUntil?.toISOString() ?? null, cap: message.contactId ? capOf(category) : null, quietHoursSet: window !== null };
}

/**
 * Whether a message needs the per-message orchestrator (deliver-with-rules) rather than the
 * batched sender: it is inside quiet hours, or its category is capped. A repeated request for a
 * message still queued also goes there when the workspace has quiet hours, so it joins the
 * run already holding the message (same event id) instead of overtaking it on the batched path.
 */
export function needsDeliveryRules(rules: DeliveryRules, repeated: boolean): boolean {
  return rules.quietUntil !== null || rules.cap !== null || (repeated && rules.quietHoursSet);
}

export function capOf(category: Pick<NotificationCategory, "capLimit" | "capPeriodSeconds"> | undefined): FrequencyCap | null {
  return category?.capLimit && category.capPeriodSeconds ? { limit: category.capLimit, periodSeconds: category.capPeriodSeconds } : null;
}

export function quietHoursOf(settings: { quietHoursStart: string | null; quietHoursEnd: string | null }): QuietHours | null {
  return settings.quietHoursStart && settings.quietHoursEnd ? { start: settings.quietHoursStart, end: settings.quietHoursEnd } : null;
}

/** A zone the runtime does not know (stored before validation, or dropped from tzdata) falls back to the workspace's. */
function zoneOrDefault(zone: string | null | undefined, fallback: string): string {
  if (!zone) return fallback;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}


/** Which function a queued message goes to: the batched sender, or the orchestrator of the rules. */
export type DeliveryPath = "batched" | "rules";

/** The path for a message just requested (`repeated`: the request named a message already recorded). */
export async function deliveryPath(db: Db, message: MessageLike, repeated: boolean): Promise<DeliveryPath> {
  return needsDeliveryRules(await deliveryRules(db, message), repeated) ? "rules" : "batched";
}
