import { getDatabase } from "@/db";
import { getMessage } from "@/db/queries/messages";
import { inngest } from "@/inngest/client";
import { notificationDeliveryRequested, notificationSendRequested } from "@/inngest/events";
import { deliveryRules } from "@/lib/delivery/delivery-rules";
import { releaseHeldMessage } from "@/lib/delivery/release-message";
import { failNotification } from "@/lib/notifications/fail-notification";
import { metrics } from "@/lib/observability/metrics";

/** Quiet hours re-checked after each sleep (the settings may have changed meanwhile); then it goes. */
const MAX_QUIET_ROUNDS = 3;

/**
 * One notification the delivery rules hold, out of the batched path: it sleeps through the
 * recipient's quiet hours (`step.sleepUntil`, never dropped), then is counted against its
 * category's frequency cap and released to send-notification, or suppressed with the cap as its
 * reason. Runs are one at a time per contact (concurrency keyed on it) so a contact's messages
 * are counted in turn; the count itself is serialized by a lock on the contact's row
 * (db/queries/frequency-caps.ts), which also covers channel plans sending for the same contact.
 */
export const deliverWithRules = inngest.createFunction(
  {
    id: "deliver-with-rules",
    triggers: [notificationDeliveryRequested],
    concurrency: [{ limit: 1, key: "event.data.workspaceId + '/' + event.data.contactKey" }],
    retries: 8,
    onFailure: async ({ event, error }) => {
      const { db } = await getDatabase();
      await failNotification(db, { workspaceId: event.data.event.data.workspaceId, messageId: event.data.event.data.messageId }, error);
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, messageId: event.data.messageId };
    for (let round = 0; round < MAX_QUIET_ROUNDS; round++) {
      const quietUntil = await step.run(`check-quiet-hours-${round}`, async () => {
        const { db } = await getDatabase();
        const message = await getMessage(db, ids);
        const until = message ? (await deliveryRules(db, message)).quietUntil : null;
        if (until) metrics().deliveryRules.inc({ rule: "quiet_hours_held", channel: message!.channel });
        return until;
      });
      if (!quietUntil) break;
      await step.sleepUntil(`wait-for-quiet-hours-${round}`, new Date(quietUntil));
    }
    const release = await step.run("release-message", async () => {
      const { db } = await getDatabase();
      return releaseHeldMessage(db, ids);
    });
    if (release.outcome !== "released") return release;
    await step.sendEvent("send-message", notificationSendRequested.create({ ...ids, channel: release.channel }, { id: `released-${ids.messageId}` }));
    return release;
  },
);
