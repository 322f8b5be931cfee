import type { Channel } from "@/core/messages/channels";
import { frequencyCapReason } from "@/core/delivery/frequency-cap";
import type { Db } from "@/db";
import { releaseMessage as releaseQueuedMessage } from "@/db/queries/frequency-caps";
import { advanceMessageStatus, getMessage } from "@/db/queries/messages";
import { deliveryRules } from "./delivery-rules";
import { metrics } from "@/lib/observability/metrics";

export type Release = { outcome: "released"; channel: Channel } | { outcome: "capped"; reason: string } | { outcome: "skipped"; status: string };

/**
 * Lets a message held by the delivery rules go on: counted against its category's cap, or
 * suppressed with the cap as its reason, so a capped message ends in a state the caller can see
 * rather than staying queued. A message no longer queued (sent by an earlier attempt, suppressed
 * meanwhile) is left alone.
 */
export async function releaseHeldMessage(db: Db, ids: { workspaceId: string; messageId: string }): Promise<Release> {
  const message = await getMessage(db, ids);
  if (!message) return { outcome: "skipped", status: "missing" };
  const { cap } = await deliveryRules(db, message);
  const outcome = await releaseQueuedMessage(db, { ...ids, contactId: message.contactId, channel: message.channel, category: message.category, cap });
  if (outcome !== "not-queued") metrics().deliveryRules.inc({ rule: outcome, channel: message.channel });
  if (outcome === "released") return { outcome, channel: message.channel };
  if (outcome === "capped") {
    const reason = frequencyCapReason(cap!, message.channel, message.category!);
    await advanceMessageStatus(db, { ...ids, to: "suppressed", set: { error: reason } });
    return { outcome, reason };
  }
  return { outcome: "skipped", status: message.status };
}
