import type { Db } from "@/db";
import type { Message } from "@/db/queries/messages";
import { listPushSubscriptions, markPushSubscriptionsSent, removeExpiredPushSubscriptions } from "@/db/queries/push-subscriptions";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { ProviderError } from "@/lib/providers/errors";
import { isExpiredSubscription, type PushDevice, type PushNotification, type PushProvider, type PushSendResult } from "@/lib/providers/push/push-provider";
import { pushReportUrl } from "@/lib/push/push-report-token";
import type { RenderedPush } from "@/lib/templates/compile-template";

export const NO_PUSH_SUBSCRIPTION = "no push subscription";

type DeviceAnswer = { device: PushDevice; ok: true; result: PushSendResult } | { device: PushDevice; ok: false; error: unknown };

/**
 * One push message to every device of its contact. A device its push service says is gone is
 * removed. The message is sent when any device took it; when none did, a retryable answer (429,
 * 5xx, a network failure) retries the whole message, and otherwise it fails for good with the
 * reason: no device at all, every device expired, or the service's refusal.
 *
 * A retry sends again to every device, including any that took the first attempt while another
 * failed transiently — so once one device has it, the others' transient failures are logged and
 * not retried: a second copy on one device is worse than a missed copy on another.
 */
export async function sendPushMessage(
  db: Db,
  provider: PushProvider,
  message: Pick<Message, "workspaceId" | "id" | "contactId" | "request">,
  rendered: RenderedPush,
  options: { idempotencyKey: string },
): Promise<PushSendResult> {
  // Counted per message here; each device's answer is counted by instrumentPushProvider.
  try {
    const result = await sendToDevices(db, provider, message, rendered, options);
    metrics().messages.inc({ channel: "push", provider: result.provider, status: "sent" });
    return result;
  } catch (error) {
    metrics().messages.inc({ channel: "push", provider: error instanceof ProviderError ? error.details.provider : provider.name, status: "failed" });
    throw error;
  }
}

async function sendToDevices(
  db: Db,
  provider: PushProvider,
  message: Pick<Message, "workspaceId" | "id" | "contactId" | "request">,
  rendered: RenderedPush,
  options: { idempotencyKey: string },
): Promise<PushSendResult> {
  const ids = { workspaceId: message.workspaceId, messageId: message.id };
  const devices = message.contactId ? await listPushSubscriptions(db, { workspaceId: message.workspaceId, contactId: message.contactId }) : [];
  if (devices.length === 0) throw new ProviderError(NO_PUSH_SUBSCRIPTION, "permanent", { provider: provider.name, code: "no_push_subscription", notAccepted: true });

  const notification: PushNotification = { ...ids, title: rendered.title, body: rendered.text, url: clickUrl(message.request.data.url), reportUrl: pushReportUrl(message.id) };
  const answers: DeviceAnswer[] = await Promise.all(
    devices.map(async (device) => {
      try {
        return { device, ok: true as const, result: await provider.send(notification, device, options) };
      } catch (error) {
        return { device, ok: false as const, error };
      }
    }),
  );
  for (const answer of answers) {
    const fields = { ...ids, subscriptionId: answer.device.id, kind: answer.device.kind };
    if (answer.ok) logger.info({ ...fields, provider: answer.result.provider, providerMessageId: answer.result.providerMessageId }, "push: device accepted");
    else logger.warn({ ...fields, provider: answer.error instanceof ProviderError ? answer.error.details.provider : null, status: answer.error instanceof ProviderError ? answer.error.details.status : null, error: answer.error instanceof Error ? answer.error.message : String(answer.error) }, isExpiredSubscription(answer.error) ? "push: subscription expired, removing it" : "push: device refused");
  }

  const expired = answers.filter((answer) => !answer.ok && isExpiredSubscription(answer.error)).map((answer) => answer.device);
  await removeExpiredPushSubscriptions(db, { workspaceId: message.workspaceId, subscriptions: expired });
  const accepted = answers.flatMap((answer) => (answer.ok ? [answer] : []));
  if (accepted.length > 0) {
    await markPushSubscriptionsSent(db, { workspaceId: message.workspaceId, ids: accepted.map((answer) => answer.device.id) });
    const providers = [...new Set(accepted.map((answer) => answer.result.provider))].join("+");
    return { provider: providers, providerMessageId: accepted[0]!.result.providerMessageId };
  }

  const errors = answers.flatMap((answer) => (answer.ok ? [] : [answer.error]));
  // Rate limits first (they carry the wait), then anything else a retry may fix.
  const retryable =
    errors.find((error) => error instanceof ProviderError && error.kind === "rate-limited") ??
    errors.find((error) => !(error instanceof ProviderError) || error.kind === "transient");
  if (retryable) throw retryable;
  if (expired.length === errors.length) {
    const reason = expired.length === 1 ? "the contact's push subscription expired and was removed" : "the contact's push subscriptions expired and were removed";
    throw new ProviderError(reason, "permanent", { provider: provider.name, code: "push_subscription_expired", notAccepted: true });
  }
  throw errors.find((error) => !isExpiredSubscription(error))!;
}

/** The request's `data.url`, opened when the notification is clicked: only an absolute http(s) URL. */
function clickUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 2_000 || !URL.canParse(value)) return null;
  return /^https?:$/.test(new URL(value).protocol) ? value : null;
}
