import { subjectIssue } from "@/core/messages/channels";
import type { Db } from "@/db";
import { getTemplate, type Template, updateTemplate } from "@/db/queries/templates";
import { compileTemplate } from "./compile-template";
import { TemplateError } from "./template-error";

export type ReviseOutcome =
  | { ok: true; template: Template }
  | { ok: false; reason: "not_found" | "stale" | "conflict" }
  | { ok: false; reason: "invalid"; fields: Record<string, string[]> };

/**
 * The one way a stored template changes (PATCH /api/v1/templates/{id}, the canvas's "Insert into
 * template"): the changed template must pass the checks a new one does — the channel's subject
 * rule, then Liquid parsing of subject and body (compileTemplate: syntax and unknown filters) —
 * before anything is written, and then its version moves on by one. Messages already queued keep
 * the version they recorded.
 */
export async function reviseTemplate(
  db: Db,
  params: { workspaceId: string; templateId: string; changes: { name?: string; subject?: string | null; body?: string }; expectedVersion?: number },
): Promise<ReviseOutcome> {
  const current = await getTemplate(db, params);
  if (!current) return { ok: false, reason: "not_found" };
  if (params.expectedVersion !== undefined && current.version !== params.expectedVersion) return { ok: false, reason: "stale" };
  const next = { channel: current.channel, subject: params.changes.subject === undefined ? current.subject : params.changes.subject, body: params.changes.body ?? current.body };
  const issue = subjectIssue(next.channel, next.subject);
  if (issue) return { ok: false, reason: "invalid", fields: { subject: [issue] } };
  try {
    compileTemplate(next);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return { ok: false, reason: "invalid", fields: { [error.part]: [error.message] } };
  }
  // Written on the version just checked, so an edit landing in between is refused, not overwritten.
  const updated = await updateTemplate(db, { ...params, expectedVersion: current.version });
  if (updated === undefined) return { ok: false, reason: "not_found" };
  if (updated === "stale" || updated === "conflict") return { ok: false, reason: updated };
  return { ok: true, template: updated };
}
