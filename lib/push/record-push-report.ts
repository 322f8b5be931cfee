import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { advanceMessageStatus, findMessageById } from "@/db/queries/messages";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import type { PushReport } from "./push-report-token";

/**
 * What a device's service worker reported about a push message, applied forward-only: `delivered`
 * moves a sent message on (never back from clicked or failed), `clicked` counts a click like an
 * email link does. Web Push and FCM have no delivery receipts, so this is the only source.
 * Returns false when the message is gone or is not a push message (a token minted for one never is).
 *
 * Both are appended to the engagement stream in one transaction with the change: a delivery once
 * per message (its key is the message's), each click as its own happening; recordEngagement
 * applies the click (counters, first click, status), as it does for an email link.
 */
export async function recordPushReport(db: Db, params: { messageId: string; report: PushReport; at?: Date }): Promise<boolean> {
  const message = await findMessageById(db, { messageId: params.messageId });
  if (!message || message.channel !== "push") return false;
  const at = params.at ?? new Date();
  if (params.report === "delivered") {
    await db.transaction(async (tx) => {
      const moved = await advanceMessageStatus(tx, { workspaceId: message.workspaceId, messageId: message.id, to: "delivered", at });
      // A delivery reported after a click (or a failure) changes nothing and is not a new fact.
      if (moved) {
        await recordEngagement(tx, [
          { messageId: message.id, type: "delivered", source: "push", occurredAt: at, dedupeKey: `push-delivered-${message.id}`, applied: { firstOpen: false, firstClick: false } },
        ]);
      }
    });
  } else {
    // A click is also proof of delivery; the click's own forward move covers it.
    await recordEngagement(db, [{ messageId: message.id, type: "clicked", source: "push", occurredAt: at, dedupeKey: `push-clicked-${randomUUID()}` }]);
  }
  return true;
}
