import type { PushSubscriptionKind } from "@/db/queries/push-subscriptions";
import { ProviderError } from "@/lib/providers/errors";

/** One registered device, as a provider needs it (see db/schema/push.ts). */
export type PushDevice = {
  id: string;
  kind: PushSubscriptionKind;
  /** The Web Push endpoint URL or the FCM registration token. */
  address: string;
  p256dh: string | null;
  auth: string | null;
  label: string | null;
};

/**
 * What the device shows and what its service worker needs: the payload is the same JSON for Web
 * Push (encrypted, RFC 8291) and FCM (the `data` map), so one script (public/sendline-push-sw.js)
 * handles both.
 */
export type PushNotification = {
  workspaceId: string;
  messageId: string;
  title: string;
  body: string;
  /** Opened when the notification is clicked (the request's `data.url`, when it is an http(s) URL). */
  url: string | null;
  /** Where the service worker reports `delivered` and `clicked` (a signed, per-message URL). */
  reportUrl: string;
};

export type PushSendResult = { provider: string; providerMessageId: string };

export interface PushProvider {
  /** "outbox" | "web-push" | "fcm" */
  readonly name: string;
  /**
   * Sends to one device. Throws ProviderError: rate-limited and transient answers (429, 5xx)
   * are retried; a device its push service no longer knows (404/410, FCM UNREGISTERED) throws
   * pushSubscriptionExpired, and its subscription is removed by the caller.
   */
  send(notification: PushNotification, device: PushDevice, options: { idempotencyKey: string }): Promise<PushSendResult>;
}

const EXPIRED = "push_subscription_expired";

/** The device's push service says the subscription is gone for good: unsubscribed, uninstalled, expired. */
export function pushSubscriptionExpired(provider: string, status: number, reason: string): ProviderError {
  return new ProviderError(`${provider}: the push subscription is gone (${reason})`, "permanent", { provider, status, code: EXPIRED, notAccepted: true });
}

export function isExpiredSubscription(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.details.code === EXPIRED;
}
