import { type Db, getDatabase } from "@/db";
import { apiError } from "@/lib/api/responses";
import { type InboxPrincipal, authorizeInbox } from "@/lib/inbox/authorize-inbox";
import { logInternalError } from "@/lib/errors/public-error-message";

/**
 * Any origin may call the feed API: it carries no cookies, and the token in the request is the
 * whole authority (whoever holds it may read that one inbox from anywhere, a browser on any
 * origin or curl), so an origin allowlist would stop nobody and only break embeds.
 */
export const INBOX_CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Last-Event-ID",
  "Access-Control-Max-Age": "86400",
};

export function withCors(response: Response): Response {
  for (const [name, value] of Object.entries(INBOX_CORS_HEADERS)) response.headers.set(name, value);
  return response;
}

/** The preflight of every feed route. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: INBOX_CORS_HEADERS });
}

export type InboxContext = { db: Db; principal: InboxPrincipal; request: Request; query: URLSearchParams };

/**
 * Wraps a public feed route: the contact's token is checked first (401, the same answer for
 * every way it can be wrong), every answer carries the CORS headers, and an unexpected error is
 * a 500 with an error id, its detail in the log only.
 */
export function inboxRoute(handler: (context: InboxContext) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const query = new URL(request.url).searchParams;
    try {
      const { db } = await getDatabase();
      const principal = await authorizeInbox(db, { workspaceId: query.get("workspaceId"), contactId: query.get("contactId"), token: query.get("token") });
      if (!principal) return withCors(apiError(401, "unauthorized", "A valid inbox token for this contact is required: ?workspaceId=&contactId=&token="));
      return withCors(await handler({ db, principal, request, query }));
    } catch (error) {
      const errorId = logInternalError(error, { where: "inbox", method: request.method, path: new URL(request.url).pathname });
      return withCors(apiError(500, "internal_error", `Internal error (id ${errorId}): something went wrong on our side`));
    }
  };
}
