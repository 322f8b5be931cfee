import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { errorReportResponse } from "@/lib/imports/error-report-response";

type Params = { id: string };

/** The import's error report as CSV (`line,column,reason,value`), formula-escaped, streamed. */
export const GET = apiRoute<Params>(
  async ({ db, principal, params }) =>
    (await errorReportResponse(db, { workspaceId: principal.workspaceId, importId: params.id })) ?? notFound("Import"),
);
