import type { DateAutomation } from "@/db/queries/date-automations";

/** The public shape of a date automation: everything but the tenant key and the unused sender address. */
export function dateAutomationView(automation: DateAutomation) {
  const { workspaceId: _workspaceId, fromAddress: _fromAddress, ...view } = automation;
  return view;
}
