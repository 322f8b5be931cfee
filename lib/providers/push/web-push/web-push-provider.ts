import https from "node:https";
import webpush, { WebPushError } from "web-push";
import { isPublicAddress } from "@/lib/security/ip-address";
import { checkUrl, pinnedLookup, resolveHostname, SafeFetchError } from "@/lib/security/ssrf-guard";
import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";
import { pushPayload } from "../push-payload";
import { pushSubscriptionExpired, type PushDevice, type PushNotification, type PushProvider, type PushSendResult } from "../push-provider";

export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

/** How long a push service keeps a message for an offline device: a day, then it is stale. */
export const WEB_PUSH_TTL_SECONDS = 24 * 60 * 60;
/** Push services ask for no Retry-After on 429 often; a few seconds is what they usually mean. */
const DEFAULT_RETRY_AFTER_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Web Push through the `web-push` package: the payload encrypted with aes128gcm for the browser's
 * keys (RFC 8291), the request signed with a VAPID JWT for the push service's origin (RFC 8292).
 * Each browser's push service (FCM for Chrome, Mozilla's autopush, Apple's) is whatever host its
 * endpoint names.
 */
export class WebPushProvider implements PushProvider {
  readonly name = "web-push";

  constructor(
    private readonly vapid: VapidKeys,
    /**
     * Tests only: a certificate to trust and a wider address policy, so a loopback fake can stand
     * in for a push service (web-push always speaks https). Production passes neither.
     */
    private readonly testing: { ca?: string; isAllowedAddress?: (address: string) => boolean } = {},
  ) {}

  async send(notification: PushNotification, device: PushDevice, _options: { idempotencyKey: string }): Promise<PushSendResult> {
    if (device.kind !== "web_push" || !device.p256dh || !device.auth) {
      throw new ProviderError("web-push: the subscription has no browser keys", "permanent", { provider: this.name, notAccepted: true });
    }
    // The endpoint came from a browser, through the customer's API calls: only a public address
    // is posted to, and the connection goes to the address checked (no DNS change in between).
    let agent: https.Agent;
    try {
      const pinned = await checkUrl(new URL(device.address), this.testing.isAllowedAddress ?? isPublicAddress, resolveHostname);
      agent = new https.Agent({ lookup: pinnedLookup(pinned), ...(this.testing.ca ? { ca: this.testing.ca } : {}) });
    } catch (error) {
      if (error instanceof SafeFetchError && error.code === "blocked") {
        throw new ProviderError(`web-push: the endpoint is not a public address (${error.message})`, "permanent", { provider: this.name, code: "blocked_endpoint", notAccepted: true });
      }
      throw new ProviderError(`web-push: ${error instanceof Error ? error.message : "cannot resolve the endpoint"}`, "transient", { provider: this.name, notAccepted: true });
    }
    try {
      const response = await webpush.sendNotification({ endpoint: device.address, keys: { p256dh: device.p256dh, auth: device.auth } }, pushPayload(notification), {
        vapidDetails: this.vapid,
        TTL: WEB_PUSH_TTL_SECONDS,
        urgency: "normal",
        // A retry replaces the first attempt if the service still holds it, rather than showing twice.
        topic: notification.messageId.replace(/-/g, ""),
        contentEncoding: "aes128gcm",
        timeout: REQUEST_TIMEOUT_MS,
        agent,
      });
      // RFC 8030 §5: the push service names the message it created in Location.
      const location = response.headers.location;
      return { provider: this.name, providerMessageId: typeof location === "string" && location ? location : `${device.id}:${notification.messageId}` };
    } catch (error) {
      throw webPushProviderError(error);
    } finally {
      agent.destroy();
    }
  }
}

/** What a push service's answer means (RFC 8030 §6 and the vendors' documented codes). */
export function webPushProviderError(error: unknown): ProviderError {
  const provider = "web-push";
  if (!(error instanceof WebPushError)) {
    // A refused connection never reached the service; anything else (a reset, a timeout) may have.
    const code = (error as NodeJS.ErrnoException | null)?.code;
    return new ProviderError(`web-push: ${code ?? "request failed"}`, "transient", { provider, code, notAccepted: code === "ECONNREFUSED" || code === "ENOTFOUND" });
  }
  const status = error.statusCode;
  const reason = `HTTP ${status}${error.body ? `: ${error.body.slice(0, 200)}` : ""}`;
  if (status === 404 || status === 410) return pushSubscriptionExpired(provider, status, reason);
  if (status === 429) {
    const retryAfter = error.headers?.["retry-after"];
    return new ProviderError(`web-push: rate limited (${reason})`, "rate-limited", { provider, status, notAccepted: true, retryAfterMs: parseRetryAfterMs(typeof retryAfter === "string" ? retryAfter : null) ?? DEFAULT_RETRY_AFTER_MS });
  }
  if (status >= 500 || status === 408) return new ProviderError(`web-push: ${reason}`, "transient", { provider, status, notAccepted: status !== 408 });
  // 400 bad request, 401/403 a VAPID key the service refuses, 413 too big: no retry fixes these.
  return new ProviderError(`web-push: the push service refused the message (${reason})`, "permanent", { provider, status, notAccepted: true });
}
