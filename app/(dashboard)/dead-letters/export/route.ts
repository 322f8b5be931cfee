import { getDatabase } from "@/db";
import { listWorkspaces } from "@/db/queries/workspaces";
import { deadLettersCsvResponse } from "@/lib/dead-letters/dead-letters-csv";
import { deadLetterPageFilter, readPageFilter } from "../../_lib/dead-letter-filter";
import { workspaceForRequest } from "../../_lib/request-workspace";

export const dynamic = "force-dynamic";

/** "Download CSV" on /dead-letters: the API's export with the page's filter; behind the dashboard gate in proxy.ts like the pages. */
export async function GET(request: Request): Promise<Response> {
  const db = (await getDatabase()).db;
  const workspace = workspaceForRequest(request, await listWorkspaces(db));
  if (!workspace) return new Response("Not found.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  const query = new URL(request.url).searchParams;
  return deadLettersCsvResponse(db, { workspaceId: workspace.id, filter: deadLetterPageFilter(readPageFilter((name) => query.get(name))) });
}
