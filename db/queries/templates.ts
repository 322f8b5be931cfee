import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { templates } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";
import { uniqueViolation } from "./unique-violation";
import type { Channel } from "@/core/messages/channels";

export type Template = typeof templates.$inferSelect;

export async function insertTemplate(
  db: Db,
  params: { workspaceId: string; channel: Channel; name: string; subject: string | null; body: string },
): Promise<Template | undefined> {
  const [row] = await db.insert(templates).values(params).onConflictDoNothing().returning();
  return row;
}

export async function getTemplate(db: Db, params: { workspaceId: string; templateId: string }): Promise<Template | undefined> {
  const [row] = await db
    .select()
    .from(templates)
    .where(and(eq(templates.workspaceId, params.workspaceId), eq(templates.id, params.templateId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listTemplates(
  db: Db,
  params: { workspaceId: string; limit: number; after?: Position },
): Promise<Template[]> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.workspaceId, params.workspaceId), before(templates.createdAt, templates.id, params.after)))
    .orderBy(desc(templates.createdAt), desc(templates.id))
    .limit(params.limit);
}

/**
 * Changes a template and moves its version on by one, in one statement. With `expectedVersion`
 * only that version is changed: "stale" when the template has moved on since the caller read it
 * (another edit would otherwise be overwritten unseen). "conflict": the new name is taken.
 * Undefined: no such template in the workspace.
 */
export async function updateTemplate(
  db: Db,
  params: { workspaceId: string; templateId: string; changes: { name?: string; subject?: string | null; body?: string }; expectedVersion?: number },
): Promise<Template | "conflict" | "stale" | undefined> {
  const { workspaceId, templateId, changes, expectedVersion } = params;
  try {
    const [row] = await db
      .update(templates)
      .set({ ...changes, version: sql`${templates.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(templates.workspaceId, workspaceId), eq(templates.id, templateId), expectedVersion === undefined ? undefined : eq(templates.version, expectedVersion)))
      .returning();
    if (row || expectedVersion === undefined) return row;
  } catch (error) {
    if (uniqueViolation(error) === "templates_workspace_name_key") return "conflict";
    throw error;
  }
  return (await getTemplate(db, { workspaceId, templateId })) ? "stale" : undefined;
}
