import type { Db } from "@/db";
import { existingListIds } from "@/db/queries/lists";
import type { SegmentFilter } from "@/core/segments/segment-filter";
import { segmentListReferences } from "./segment-list-references";

/**
 * Field errors for every `inList` naming a list this workspace does not have. Checked at save
 * time so a segment can never be saved pointing at another workspace's list; the compiled SQL
 * also scopes membership by workspace, so a list deleted later simply matches nobody.
 */
export async function segmentListErrors(
  db: Db,
  params: { workspaceId: string; filter: SegmentFilter },
): Promise<Record<string, string[]> | undefined> {
  const references = segmentListReferences(params.filter);
  const existing = await existingListIds(db, { workspaceId: params.workspaceId, listIds: [...new Set(references.map((ref) => ref.listId))] });
  const missing = references.filter((ref) => !existing.has(ref.listId));
  if (missing.length === 0) return undefined;
  return Object.fromEntries(missing.map((ref) => [["filter", ...ref.path].join("."), ["is not a list in this workspace"]]));
}
