import type { Db } from "@/db";
import { getJourneyDraftHead } from "@/db/queries/journeys";
import { INBOX_STREAM_HEARTBEAT_MS, INBOX_STREAM_MAX_MS, INBOX_STREAM_POLL_MS, INBOX_STREAM_RETRY_MS, sseEvent } from "@/lib/inbox/inbox-event-stream";

const encoder = new TextEncoder();

/**
 * The canvas's live stream (issue 17): a `revision` event whenever the journey's draft moves on
 * (and once at the start), with who saved it; the page then loads the draft and merges it with
 * its own edits. Like the inbox's stream (lib/inbox/inbox-event-stream) it polls one indexed
 * read a second — the same on PGlite in one process and on PostgreSQL across instances, with no
 * listener connection to hold — and ends after a while so the EventSource reconnects.
 */
export function journeyDraftStream(
  db: Db,
  params: { workspaceId: string; journeyId: string; signal: AbortSignal; pollMs?: number; maxMs?: number; onError?: (error: unknown) => void },
): ReadableStream<Uint8Array> {
  const pollMs = params.pollMs ?? INBOX_STREAM_POLL_MS;
  const endAt = Date.now() + (params.maxMs ?? INBOX_STREAM_MAX_MS);
  let closed = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    closed = true;
    wake?.();
  };
  params.signal.addEventListener("abort", stop, { once: true });
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
      let last: number | null = null;
      let lastWrite = Date.now();
      try {
        while (!closed && Date.now() < endAt) {
          const head = await getJourneyDraftHead(db, params);
          if (closed || !head) break;
          if (head.revision !== last) {
            controller.enqueue(sseEvent("revision", head, String(head.revision)));
            last = head.revision;
            lastWrite = Date.now();
          } else if (Date.now() - lastWrite >= INBOX_STREAM_HEARTBEAT_MS) {
            controller.enqueue(encoder.encode(": ping\n\n"));
            lastWrite = Date.now();
          }
          await sleep(Math.min(pollMs, Math.max(0, endAt - Date.now())));
        }
      } catch (error) {
        params.onError?.(error);
      } finally {
        params.signal.removeEventListener("abort", stop);
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
