import { z } from "zod";
import type { Db } from "@/db";
import { getImport, listImportErrors } from "@/db/queries/imports";
import { ERROR_REPORT_HEADER, errorReportLine } from "@/lib/imports/error-report-csv";

/** Rows per database page while streaming: memory stays flat however long the report is. */
export const ERROR_REPORT_PAGE_ROWS = 2_000;

const notFound = () =>
  new Response("Not found.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * The import's error report as a CSV download — the API's format (`line,column,reason,value`,
 * formula-escaped by lib/imports/error-report-csv, UTF-8 with a BOM for Excel) — streamed page
 * by page. 404 unless the import belongs to `workspaceId` (invariant 5).
 */
export async function errorReportResponse(db: Db, workspaceId: string | undefined, importId: string): Promise<Response> {
  if (!workspaceId || !z.uuid().safeParse(importId).success) return notFound();
  const row = await getImport(db, { workspaceId, importId });
  if (!row) return notFound();
  const ids = { workspaceId, importId: row.id };
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
