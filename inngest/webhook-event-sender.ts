import { inngest } from "./client";
import { providerWebhookReceived } from "./events";
import type { WebhookEvent } from "@/lib/webhooks/accept-webhook";

/** Events per send call: well under Inngest's 5,000 per send and 256 KiB per request (ids only, ~150 bytes each). */
export const WEBHOOK_EVENTS_PER_SEND = 500;

/**
 * Coalesces concurrent webhook requests' events into shared sends: the first goes at once; those
 * that arrive while a send is in flight go together in the next, one request for up to
 * WEBHOOK_EVENTS_PER_SEND of them. A flood then costs the event API a call per group of
 * requests rather than one each (the largest share of the route's time when profiled), and a
 * lone webhook waits for nothing. Each caller learns its own group's outcome: a failed send
 * fails every request of its group, which each remove their row and answer 503 (accept-webhook.ts).
 */
export function coalescingSender(send: (events: ReturnType<typeof providerWebhookReceived.create>[]) => Promise<unknown>) {
  type Waiting = { event: WebhookEvent; resolve: () => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let inFlight = false;

  async function flush(): Promise<void> {
    inFlight = true;
    while (queue.length > 0) {
      const group = queue.slice(0, WEBHOOK_EVENTS_PER_SEND);
      queue = queue.slice(group.length);
      try {
        await send(group.map(({ event }) => providerWebhookReceived.create(event.data, { id: event.id })));
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    inFlight = false;
  }

  return (event: WebhookEvent): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ event, resolve, reject });
      if (!inFlight) void flush();
    });
}

/** The webhook routes' sender (app/api/webhooks/*). */
export const sendWebhookEvent = coalescingSender((events) => inngest.send(events));
