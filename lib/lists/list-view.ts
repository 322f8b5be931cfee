import type { List } from "@/db/queries/lists";

/** The public shape of a list: everything but the tenant key. */
export function listView(list: List) {
  const { workspaceId: _workspaceId, ...view } = list;
  return view;
}
