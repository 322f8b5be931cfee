/**
 * The event names a webhook_events row that is not there. This happens when emitting the event
 * looked failed to the route (so it removed the row and answered 5xx) but did reach Inngest:
 * the provider's redelivery stores the row again, so the run retries rather than giving up.
 */
export class WebhookNotStoredError extends Error {
  override readonly name = "WebhookNotStoredError";
  constructor(provider: string, deliveryId: string) {
    super(`No stored ${provider} webhook ${deliveryId} (yet): waiting for the provider's redelivery`);
  }
}
