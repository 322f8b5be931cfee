import { z } from "zod";
import { getImport, listImportErrors } from "@/db/queries/imports";
import { notFound } from "@/lib/api/responses";
import { apiRoute } from "@/lib/api/route";
import { ERROR_REPORT_HEADER, errorReportLine } from "@/lib/imports/error-report-csv";

type Params = { id: string };

/** Rows per database page while streaming the report: memory stays flat however long it is. */
const ERROR_REPORT_PAGE_ROWS = 2_000;

/** The import's error report as CSV (`line,column,reason,value`), formula-escaped, streamed. */
export const GET = apiRoute<Params>(async ({ db, principal, params }) => {
  if (!z.uuid().safeParse(params.id).success) return notFound("Import");
  const row = await getImport(db, { workspaceId: principal.workspaceId, importId: params.id });
  if (!row) return notFound("Import");
  const ids = { workspaceId: principal.workspaceId, importId: row.id };
  let after: { line: number; id: number } | undefined;
  let headerSent = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${ERROR_REPORT_HEADER}`));
        return;
      }
      const errors = await listImportErrors(db, { ...ids, after, limit: ERROR_REPORT_PAGE_ROWS });
      if (errors.length > 0) controller.enqueue(encoder.encode(errors.map(errorReportLine).join("")));
      const last = errors.at(-1);
      if (errors.length < ERROR_REPORT_PAGE_ROWS || !last) controller.close();
      else after = { line: last.line, id: last.id };
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${row.id}-errors.csv"`,
      "cache-control": "no-store",
    },
  });
});
