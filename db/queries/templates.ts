import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { templates } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";
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
