import { z } from "zod";
import { getDatabase } from "@/db";
import { listWorkspaces } from "@/db/queries/workspaces";
import { journeyDraftStream } from "@/lib/journeys/journey-draft-stream";
import { logger } from "@/lib/observability/logger";
import { workspaceForRequest } from "../../../../_lib/request-workspace";

export const dynamic = "force-dynamic";
/** Longer than a stream lasts (INBOX_STREAM_MAX_MS), for platforms that cap a function's duration. */
export const maxDuration = 60;

/** The journey canvas's live saves as server-sent events; behind the dashboard gate in proxy.ts like the pages. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const [{ id }, db] = await Promise.all([params, getDatabase().then(({ db }) => db)]);
  const workspace = workspaceForRequest(request, await listWorkspaces(db));
  if (!workspace || !z.uuid().safeParse(id).success) return new Response("Not found", { status: 404 });
  const body = journeyDraftStream(db, {
    workspaceId: workspace.id,
    journeyId: id,
    signal: request.signal,
    onError: (error) => logger.warn({ err: error, journeyId: id }, "journeys: the canvas stream ended on an error"),
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
}
