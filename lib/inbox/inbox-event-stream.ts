import type { InboxChangeReader } from "./inbox-change-reader";

/** How often an open stream asks the database what changed: the delay of a live update. */
export const INBOX_STREAM_POLL_MS = 1_000;
/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const INBOX_STREAM_HEARTBEAT_MS = 15_000;
/**
 * A stream ends after this long and the browser's EventSource reconnects (after `retry`) from its
 * last event id: serverless functions have a maximum duration, and a fresh request also
 * re-checks the token, so a rotated secret closes streams within a minute.
 */
export const INBOX_STREAM_MAX_MS = 50_000;
export const INBOX_STREAM_RETRY_MS = 1_000;

const encoder = new TextEncoder();

/** One server-sent event; `data` is JSON on one line. */
export function sseEvent(event: string, data: unknown, id?: string): Uint8Array {
  return encoder.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The body of the live stream: `message` for every new or changed message (the whole message,
 * which the client puts in place by id), then `counts` whenever they changed (and on the first
 * poll). Each `message` event's id is the position to resume from. Stops when the client goes
 * away (`signal`), after `maxMs`, or on a database error (the client reconnects).
 */
export function inboxEventStream(
  reader: InboxChangeReader,
  options: { signal: AbortSignal; pollMs?: number; heartbeatMs?: number; maxMs?: number; onError?: (error: unknown) => void },
): ReadableStream<Uint8Array> {
  const pollMs = options.pollMs ?? INBOX_STREAM_POLL_MS;
  const heartbeatMs = options.heartbeatMs ?? INBOX_STREAM_HEARTBEAT_MS;
  const endAt = Date.now() + (options.maxMs ?? INBOX_STREAM_MAX_MS);
  let closed = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    closed = true;
    wake?.();
  };
  options.signal.addEventListener("abort", stop, { once: true });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(`retry: ${INBOX_STREAM_RETRY_MS}\n\n`));
      let lastWrite = Date.now();
      try {
        while (!closed && Date.now() < endAt) {
          const poll = await reader.poll();
          if (closed) break;
          const position = poll.position.toISOString();
          for (const message of poll.messages) controller.enqueue(sseEvent("message", message, position));
          if (poll.counts) controller.enqueue(sseEvent("counts", poll.counts));
          if (poll.messages.length > 0 || poll.counts) lastWrite = Date.now();
          if (Date.now() - lastWrite >= heartbeatMs) {
            controller.enqueue(encoder.encode(": ping\n\n"));
            lastWrite = Date.now();
          }
          await sleep(Math.min(pollMs, Math.max(0, endAt - Date.now())));
        }
      } catch (error) {
        options.onError?.(error);
      } finally {
        options.signal.removeEventListener("abort", stop);
        closed = true;
        try {
          controller.close();
        } catch {
          // Already cancelled by the reader.
        }
      }
    },
    cancel() {
      stop();
    },
  });
}
