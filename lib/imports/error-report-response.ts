import { z } from "zod";
import type { Db } from "@/db";
import { getImport, listImportErrors } from "@/db/queries/imports";
import { ERROR_REPORT_HEADER, errorReportLine } from "./error-report-csv";

/** Rows per database page while streaming the report: memory stays flat however long it is. */
export const ERROR_REPORT_PAGE_ROWS = 2_000;

/**
 * An import's error report as a CSV download (`line,column,reason,value`, formula-escaped,
 * UTF-8 with a BOM for Excel), streamed page by page — or null when the import does not
 * belong to `workspaceId` (invariant 5), so each caller answers 404 its own way.
 */
export async function errorReportResponse(db: Db, params: { workspaceId: string; importId: string }): Promise<Response | null> {
  if (!z.uuid().safeParse(params.importId).success) return null;
  const row = await getImport(db, params);
  if (!row) return null;
  const ids = { workspaceId: params.workspaceId, importId: row.id };
  const encoder = new TextEncoder();
  let after: { line: number; id: number } | undefined;
  let headerSent = false;
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
}
