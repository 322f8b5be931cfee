import type { SegmentFilter } from "@/core/segments/segment-filter";

/** Every list a filter names, with the path to it, so a bad reference can be reported where it is. */
export function segmentListReferences(filter: SegmentFilter, path: (string | number)[] = []): { listId: string; path: (string | number)[] }[] {
  if ("all" in filter) return filter.all.flatMap((child, index) => segmentListReferences(child, [...path, "all", index]));
  if ("any" in filter) return filter.any.flatMap((child, index) => segmentListReferences(child, [...path, "any", index]));
  if ("not" in filter) return segmentListReferences(filter.not, [...path, "not"]);
  if ("inList" in filter) return [{ listId: filter.inList, path: [...path, "inList"] }];
  return [];
}
