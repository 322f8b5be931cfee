import type { Template } from "@/db/queries/templates";

/** A template as the API shows it (no workspace id). */
export function templateView(template: Template) {
  const { workspaceId: _workspaceId, ...view } = template;
  return view;
}
