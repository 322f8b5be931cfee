import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Position } from "@/lib/api/cursor";

/** `(at, id) < (position.at, position.id)` for newest-first keyset pages. */
export function before(atColumn: PgColumn, idColumn: PgColumn, position: Position | undefined): SQL | undefined {
  if (!position) return undefined;
  return or(lt(atColumn, position.at), and(eq(atColumn, position.at), lt(idColumn, position.id)));
}
