import type { Db } from "@/db";
import { errorReportResponse } from "@/lib/imports/error-report-response";

const notFound = () =>
  new Response("Not found.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** The dashboard's download of an import's error report: the API's CSV, scoped to the current workspace. */
export async function dashboardErrorReport(db: Db, workspaceId: string | undefined, importId: string): Promise<Response> {
  if (!workspaceId) return notFound();
  return (await errorReportResponse(db, { workspaceId, importId })) ?? notFound();
}
