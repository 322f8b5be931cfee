import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Position } from "@/core/pagination/cursor";

/**
 * `(at, id) < (position.at, position.id)` for newest-first keyset pages — a row comparison, so
 * an index on (workspace_id, at, id) serves it. Cursor timestamps are JavaScript Dates
 * (milliseconds), which is why every paged timestamp column has precision 3: with
 * microseconds, rows later in the last row's millisecond would fall between pages.
 */
export function before(atColumn: PgColumn, idColumn: PgColumn, position: Position | undefined): SQL | undefined {
  if (!position) return undefined;
  return sql`(${atColumn}, ${idColumn}) < (${position.at.toISOString()}::timestamptz, ${position.id}::uuid)`;
}
