import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { workspaces } from "@/db/schema";

export type Workspace = typeof workspaces.$inferSelect;

export async function insertWorkspace(db: Db, params: { name: string; emailFrom?: string | null }): Promise<Workspace> {
  const [row] = await db.insert(workspaces).values({ name: params.name, emailFrom: params.emailFrom ?? null }).returning();
  return row!;
}

export async function getWorkspace(db: Db, params: { workspaceId: string }): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, params.workspaceId));
  return row;
}

export async function listWorkspaces(db: Db): Promise<Workspace[]> {
  return db.select().from(workspaces).orderBy(asc(workspaces.createdAt));
}
