import type { Db } from "@/db";
import { getCategory, listCategories } from "@/db/queries/notification-categories";
import { unknownCategoryMessage } from "@/core/preferences/category-key";

/** The 400 message for a category key this workspace does not have (naming those it has), or null. */
export async function categoryIssue(db: Db, params: { workspaceId: string; key: string }): Promise<string | null> {
  if (await getCategory(db, params)) return null;
  const known = await listCategories(db, { workspaceId: params.workspaceId });
  return unknownCategoryMessage(params.key, known.map((c) => c.key));
}
