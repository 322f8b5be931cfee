import type { Db } from "@/db";
import { type DeadLetter, type DeadLetterFilter, listDeadLetters } from "@/db/queries/dead-letters";
import type { Position } from "@/core/pagination/cursor";
import { csvCell } from "@/lib/imports/error-report-csv";

/** Rows per database page while streaming: memory stays flat however many dead letters there are. */
export const DEAD_LETTERS_CSV_PAGE_ROWS = 1_000;

export const DEAD_LETTERS_CSV_HEADER = "id,message_id,kind,channel,recipient,subject,dead_lettered_at,attempts,retries,error\r\n";

export function deadLetterCsvLine(row: DeadLetter): string {
  return `${[
    row.id,
    row.idempotencyKey,
    row.kind,
    row.channel,
    row.recipient,
    row.subject,
    row.deadLetteredAt.toISOString(),
    row.attemptCount,
    row.retryCount,
    row.error,
  ]
    .map(csvCell)
    .join(",")}\r\n`;
}

/**
 * The workspace's dead letters matching `filter` as a CSV download, newest first, streamed a
 * page at a time; cells are formula-escaped (a recipient or an error could start with `=`), and
 * UTF-8 with a BOM so Excel reads it as such.
 */
export function deadLettersCsvResponse(db: Db, params: { workspaceId: string; filter: DeadLetterFilter }): Response {
  const encoder = new TextEncoder();
  let after: Position | undefined;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${DEAD_LETTERS_CSV_HEADER}`));
        return;
      }
      const rows = await listDeadLetters(db, { ...params, limit: DEAD_LETTERS_CSV_PAGE_ROWS, after });
      if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(deadLetterCsvLine).join("")));
      const last = rows.at(-1);
      if (rows.length < DEAD_LETTERS_CSV_PAGE_ROWS || !last) controller.close();
      else after = { at: last.deadLetteredAt, id: last.id };
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="dead-letters.csv"`,
      "cache-control": "no-store",
    },
  });
}
