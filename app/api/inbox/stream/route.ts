import { readQuery } from "@/lib/api/route";
import { InboxChangeReader } from "@/lib/inbox/inbox-change-reader";
import { inboxEventStream } from "@/lib/inbox/inbox-event-stream";
import { inboxStreamQuery } from "@/lib/inbox/inbox-feed-request";
import { logger } from "@/lib/observability/logger";
import { inboxRoute, preflight } from "../inbox-route";

export const dynamic = "force-dynamic";
/** Longer than a stream lasts (INBOX_STREAM_MAX_MS), for platforms that cap a function's duration. */
export const maxDuration = 60;

function resumeFrom(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Live updates of a contact's inbox as server-sent events (`counts`, `message`), for an
 * EventSource. Each open stream polls one indexed "changed since" query a second: it works the
 * same in one dev process on PGlite and across serverless instances on PostgreSQL, with no
 * listener connection to hold (docs/DESIGN.md, "In-app inbox").
 */
export const GET = inboxRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, inboxStreamQuery);
  if (!query.ok) return query.response;
  const since = resumeFrom(request.headers.get("last-event-id") ?? query.data.lastEventId);
  const reader = await InboxChangeReader.start(db, principal, since);
  const body = inboxEventStream(reader, {
    signal: request.signal,
    onError: (error) => logger.warn({ err: error, workspaceId: principal.workspaceId, contactId: principal.contactId }, "inbox: stream ended on an error"),
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      // nginx and similar proxies buffer responses unless told not to.
      "X-Accel-Buffering": "no",
    },
  });
});

export const OPTIONS = preflight;
