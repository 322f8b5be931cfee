import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { importErrors } from "@/db/schema";

/** How many rows the import's error report has (the page shows the first few). */
export async function countImportErrors(db: Db, params: { workspaceId: string; importId: string }): Promise<number> {
  const [row] = await db
    .select({ count: count() })
    .from(importErrors)
    .where(and(eq(importErrors.workspaceId, params.workspaceId), eq(importErrors.importId, params.importId)));
  return row?.count ?? 0;
}
