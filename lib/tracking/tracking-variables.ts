import { type TrackingLinkOptions, unsubscribeUrl } from "./tracking-urls";

/**
 * Template variables a tracked email offers, so a template can place its own link:
 * `<a href="{{ unsubscribe_url }}">Unsubscribe</a>`. Spread them after the caller's data,
 * so a stray `unsubscribe_url` in the data can never replace the real link:
 * `templateVariables({ ...message.request.data, ...trackingVariables({ messageId }) }, contact)`.
 */
export function trackingVariables(options: TrackingLinkOptions): { unsubscribe_url: string } {
  return { unsubscribe_url: unsubscribeUrl(options) };
}
