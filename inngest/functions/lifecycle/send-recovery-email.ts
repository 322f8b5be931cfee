import { getDatabase } from "@/db";
import { countRecoveryEmail } from "@/db/queries/erasures";
import { inngest } from "@/inngest/client";
import { deliveryEvent } from "@/inngest/delivery-event";
import { recoveryEmailRequested } from "@/inngest/events";
import { recoveryEmailsPerDay } from "@/lib/lifecycle/erasure-settings";
import { queueRecoveryEmail } from "@/lib/lifecycle/recovery-email";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * The recovery email of a contact's erasure, with its signed restore link. At most
 * ERASURE_RECOVERY_EMAILS_PER_DAY per contact per 24 hours, however often it is asked for:
 * Inngest's `rateLimit` skips the extra triggers before any run starts. The email goes through
 * the ordinary transactional path (send-notification; the outbox in development) as a message
 * naming no contact, so the hidden contact still receives it.
 */
export const sendRecoveryEmail = inngest.createFunction(
  {
    id: "send-recovery-email",
    triggers: [recoveryEmailRequested],
    rateLimit: { key: "event.data.contactId", limit: recoveryEmailsPerDay(), period: "24h" },
    retries: 8,
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, erasureId: event.data.erasureId };
    const queued = await step.run("queue-recovery-email", async () => {
      const db = (await getDatabase()).db;
      const email = await queueRecoveryEmail(db, { ...ids, key: event.id ?? "first", now: new Date() });
      if (email.outcome !== "queued") return { outcome: email.outcome };
      const { message } = email;
      return { outcome: email.outcome, message: { id: message.id, workspaceId: message.workspaceId, idempotencyKey: message.idempotencyKey, channel: message.channel, contactId: message.contactId } };
    });
    if (queued.outcome !== "queued" || !queued.message) {
      if (queued.outcome === "no_address") metrics().erasureRecoveryEmails.inc({ outcome: "no_address" });
      logger.info({ ...ids, outcome: queued.outcome }, "erasure: no recovery email sent");
      return { sent: false, reason: queued.outcome };
    }
    await step.sendEvent("send-email", deliveryEvent("batched", queued.message));
    await step.run("count-recovery-email", async () => {
      await countRecoveryEmail((await getDatabase()).db, ids);
      metrics().erasureRecoveryEmails.inc({ outcome: "sent" });
      logger.info({ ...ids, messageId: queued.message!.id }, "erasure: recovery email queued");
    });
    return { sent: true, messageId: queued.message.id };
  },
);
