import type { Segment } from "@/db/queries/segments";

/** The public shape of a segment: everything but the tenant key. */
export function segmentView(segment: Segment) {
  const { workspaceId: _workspaceId, ...view } = segment;
  return view;
}
