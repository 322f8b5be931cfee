import type { z } from "zod";
import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { deleteCategory, getCategory, insertCategory, updateCategory } from "@/db/queries/notification-categories";
import { CHANNELS } from "@/core/messages/channels";
import { fieldIssueMessage } from "@/lib/api/field-issue-message";
import { categoryCreateRequest, categoryPatchRequest } from "@/lib/preferences/category-request";

export type CategoryFormOutcome = { ok: boolean; message: string };

/** The form's fields as the API's body: a ticked box is true; a channel's box is "on by default". */
function formBody(form: FormData, withKey: boolean): Record<string, unknown> {
  const text = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : "");
  const description = text("description").trim();
  return {
    ...(withKey ? { key: text("key").trim() } : {}),
    name: text("name"),
    description: description === "" ? null : description,
    required: form.has("required"),
    urgent: form.has("urgent"),
    channelDefaults: Object.fromEntries(CHANNELS.map((channel) => [channel, form.has(`default-${channel}`)])),
  };
}

function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join(".") || "form";
  return `${field} ${issue.message}`;
}

/**
 * The Categories page's create and edit forms, checked by the API's own schemas and audited as
 * the dashboard's; the answer is the line the page shows.
 */
export async function saveCategoryForm(db: Db, params: { workspaceId: string; form: FormData; editKey?: string }): Promise<CategoryFormOutcome> {
  const { workspaceId, form, editKey } = params;
  if (editKey === undefined) {
    const body = categoryCreateRequest.safeParse(formBody(form, true), { error: fieldIssueMessage });
    if (!body.success) return { ok: false, message: `Not created: ${firstProblem(body.error)}.` };
    const category = await insertCategory(db, { workspaceId, ...body.data, description: body.data.description ?? null });
    if (category === "conflict") return { ok: false, message: `Not created: a category with key "${body.data.key}" already exists.` };
    await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "category.created", targetType: "category", targetId: category.id, details: { key: category.key } });
    return { ok: true, message: `Created ${category.name} (${category.key}).` };
  }
  const body = categoryPatchRequest.safeParse(formBody(form, false), { error: fieldIssueMessage });
  if (!body.success) return { ok: false, message: `Not saved: ${firstProblem(body.error)}.` };
  const category = await updateCategory(db, { workspaceId, key: editKey, changes: body.data });
  if (!category) return { ok: false, message: "Not saved: that category no longer exists." };
  await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "category.updated", targetType: "category", targetId: category.id, details: { key: category.key } });
  return { ok: true, message: `Saved ${category.name} (${category.key}).` };
}

export async function deleteCategoryForm(db: Db, params: { workspaceId: string; key: string }): Promise<CategoryFormOutcome> {
  const category = await getCategory(db, params);
  if (!category || !(await deleteCategory(db, params))) return { ok: false, message: "Not deleted: that category no longer exists." };
  await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: "dashboard", action: "category.deleted", targetType: "category", targetId: category.id, details: { key: category.key } });
  return { ok: true, message: `Deleted ${category.name} (${category.key}) and every contact's choices for it.` };
}
