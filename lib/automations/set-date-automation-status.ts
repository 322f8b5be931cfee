import type { Db } from "@/db";
import { type DateAutomation, getDateAutomation, updateDateAutomation } from "@/db/queries/date-automations";
import { dateAutomationIssue, type SettingsIssue } from "./date-automations";

/**
 * Pauses (with who did it as the reason) or resumes an automation. Resuming checks its template
 * and category again: one that went away keeps it paused with the issue.
 */
export async function setDateAutomationStatus(
  db: Db,
  params: { workspaceId: string; automationId: string; status: "active" | "paused"; by: string; now: Date },
): Promise<{ ok: true; automation: DateAutomation } | { ok: false; issue: SettingsIssue } | undefined> {
  const current = await getDateAutomation(db, params);
  if (!current) return undefined;
  if (params.status === "active") {
    const issue = await dateAutomationIssue(db, params.workspaceId, current);
    if (issue) return { ok: false, issue };
  }
  const changes = params.status === "active" ? { status: "active" as const, statusReason: null } : { status: "paused" as const, statusReason: `paused by ${params.by}` };
  const automation = await updateDateAutomation(db, { workspaceId: params.workspaceId, automationId: params.automationId, now: params.now, changes });
  return automation ? { ok: true, automation } : undefined;
}
