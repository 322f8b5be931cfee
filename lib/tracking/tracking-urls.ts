import { publicUrl } from "@/lib/config/public-url";
import { signTrackingToken } from "./tracking-token";

/**
 * The public links of one message. Paths are fixed by the routes under app/t, app/u and app/p;
 * `baseUrl` defaults to PUBLIC_URL.
 */
export type TrackingLinkOptions = { messageId: string; baseUrl?: string };

const base = (baseUrl: string | undefined) => (baseUrl ?? publicUrl()).replace(/\/+$/, "");

export function openPixelUrl({ messageId, baseUrl }: TrackingLinkOptions): string {
  return `${base(baseUrl)}/t/o/${signTrackingToken({ action: "o", messageId })}`;
}

/** Redirects to exactly `url` (which must be http(s)) and records the click. */
export function clickUrl({ messageId, baseUrl, url }: TrackingLinkOptions & { url: string }): string {
  return `${base(baseUrl)}/t/c/${signTrackingToken({ action: "c", messageId, url })}`;
}

/** Both the confirmation page (GET) and the RFC 8058 one-click endpoint (POST). */
export function unsubscribeUrl({ messageId, baseUrl }: TrackingLinkOptions): string {
  return `${base(baseUrl)}/u/${signTrackingToken({ action: "u", messageId })}`;
}

/**
 * The recipient's preference center (GET shows it, POST saves it): every message's
 * `{{ preferences_url }}`. It names the message, as the unsubscribe link does, and the page finds
 * the contact through it, so a link never names a contact outright.
 */
export function preferencesUrl({ messageId, baseUrl }: TrackingLinkOptions): string {
  return `${base(baseUrl)}/p/${signTrackingToken({ action: "p", messageId })}`;
}
