import { JWT } from "google-auth-library";
import { ProviderError } from "@/lib/providers/errors";
import { pushPayload } from "../push-payload";
import type { PushDevice, PushNotification, PushProvider, PushSendResult } from "../push-provider";
import { type FcmErrorBody, fcmProviderError } from "./fcm-provider-error";
import type { FcmServiceAccount } from "./fcm-service-account";

export const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
export const FCM_DEFAULT_BASE_URL = "https://fcm.googleapis.com";
/** Where google-auth-library always sends the signed assertion (and what it puts in its `aud`). */
const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Firebase Cloud Messaging through the HTTP v1 API (`projects/{id}/messages:send`), authorised
 * with an OAuth access token that google-auth-library mints from the service account (a JWT
 * assertion signed RS256 with the account's key) and caches until shortly before it expires.
 */
export class FcmProvider implements PushProvider {
  readonly name = "fcm";
  private readonly auth: JWT;
  private readonly sendUrl: string;

  constructor(account: FcmServiceAccount, options: { baseUrl?: string } = {}) {
    this.auth = new JWT({ email: account.client_email, key: account.private_key, keyId: account.private_key_id, scopes: [FCM_SCOPE] });
    // google-auth-library ignores the key file's token_uri; honour it, so a key issued for
    // another token endpoint (and the tests' loopback one) is asked where it says.
    const tokenUri = account.token_uri;
    if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
      this.auth.transporter.interceptors.request.add({
        resolved: async (config) => {
          const href = config.url instanceof URL ? config.url.href : String(config.url);
          return href === GOOGLE_TOKEN_URL ? { ...config, url: new URL(tokenUri) } : config;
        },
      });
    }
    const base = (options.baseUrl ?? FCM_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.sendUrl = `${base}/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`;
  }

  async send(notification: PushNotification, device: PushDevice, _options: { idempotencyKey: string }): Promise<PushSendResult> {
    if (device.kind !== "fcm") throw new ProviderError("fcm: not an FCM registration token", "permanent", { provider: this.name, notAccepted: true });
    const accessToken = await this.accessToken();
    const body = JSON.stringify({ message: fcmMessage(notification, device.address) });
    let response: Response;
    try {
      response = await fetch(this.sendUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json; charset=utf-8" },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const code = ((error as { cause?: NodeJS.ErrnoException }).cause ?? (error as NodeJS.ErrnoException)).code;
      throw new ProviderError(`fcm: ${code ?? "request failed"}`, "transient", { provider: this.name, code, notAccepted: code === "ECONNREFUSED" });
    }
    const text = await response.text();
    if (!response.ok) throw fcmProviderError(response.status, safeJson<FcmErrorBody>(text), response.headers.get("retry-after"));
    const name = safeJson<{ name?: string }>(text)?.name;
    return { provider: this.name, providerMessageId: name ?? `${device.id}:${notification.messageId}` };
  }

  private async accessToken(): Promise<string> {
    try {
      const { token } = await this.auth.getAccessToken();
      if (!token) throw new Error("no access token");
      return token;
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      const message = error instanceof Error ? error.message : String(error);
      // invalid_grant and its kin: the key is revoked or wrong, which no retry fixes.
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        throw new ProviderError(`fcm: the service account was refused (${message.slice(0, 200)})`, "permanent", { provider: this.name, status, notAccepted: true });
      }
      throw new ProviderError("fcm: could not get an access token", "transient", { provider: this.name, status, notAccepted: true });
    }
  }
}

/**
 * The v1 message: a `notification` the OS shows on Android and iOS, and the service worker's
 * payload as `data.sendline` (FCM data values are strings), so a web app's service worker and a
 * native app can both report delivery and clicks the same way.
 */
export function fcmMessage(notification: PushNotification, token: string) {
  return {
    token,
    notification: { title: notification.title, body: notification.body },
    data: { sendline: pushPayload(notification) },
    ...(notification.url?.startsWith("https:") ? { webpush: { fcm_options: { link: notification.url } } } : {}),
  };
}

function safeJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
