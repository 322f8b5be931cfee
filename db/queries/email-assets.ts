import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { emailAssets } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";

export type EmailAsset = typeof emailAssets.$inferSelect;
export type NewEmailAsset = typeof emailAssets.$inferInsert;

/**
 * Records a stored image. Undefined when the workspace already has an asset with these very
 * bytes (the unique (workspace_id, sha256) key): two uploads of one image racing each other
 * keep one row, and the loser's file is the caller's to delete.
 */
export async function insertEmailAsset(db: Db, values: NewEmailAsset): Promise<EmailAsset | undefined> {
  const [row] = await db.insert(emailAssets).values(values).onConflictDoNothing({ target: [emailAssets.workspaceId, emailAssets.sha256] }).returning();
  return row;
}

/** The workspace's asset with these optimised bytes, if any: what a repeated upload answers. */
export async function findEmailAssetBySha256(db: Db, params: { workspaceId: string; sha256: string }): Promise<EmailAsset | undefined> {
  const [row] = await db
    .select()
    .from(emailAssets)
    .where(and(eq(emailAssets.workspaceId, params.workspaceId), eq(emailAssets.sha256, params.sha256)));
  return row;
}

export async function getEmailAsset(db: Db, params: { workspaceId: string; assetId: string }): Promise<EmailAsset | undefined> {
  const [row] = await db
    .select()
    .from(emailAssets)
    .where(and(eq(emailAssets.workspaceId, params.workspaceId), eq(emailAssets.id, params.assetId)));
  return row;
}

/**
 * The one read without a workspace: the public /assets/{id}/{name} route, which mail clients
 * call with no credentials. The random id is the capability, as a tracking token is for /t/;
 * only what the route serves (type, size, hash, key) is read.
 */
export async function getPublicEmailAsset(db: Db, params: { assetId: string }): Promise<Pick<EmailAsset, "storageKey" | "contentType" | "bytes" | "sha256"> | undefined> {
  const [row] = await db
    .select({ storageKey: emailAssets.storageKey, contentType: emailAssets.contentType, bytes: emailAssets.bytes, sha256: emailAssets.sha256 })
    .from(emailAssets)
    .where(eq(emailAssets.id, params.assetId));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listEmailAssets(db: Db, params: { workspaceId: string; limit: number; after?: Position }): Promise<EmailAsset[]> {
  return db
    .select()
    .from(emailAssets)
    .where(and(eq(emailAssets.workspaceId, params.workspaceId), before(emailAssets.createdAt, emailAssets.id, params.after)))
    .orderBy(desc(emailAssets.createdAt), desc(emailAssets.id))
    .limit(params.limit);
}

/** The workspace's assets among `assetIds` (a template's images); others' ids are left out. */
export async function listEmailAssetsByIds(db: Db, params: { workspaceId: string; assetIds: readonly string[] }): Promise<EmailAsset[]> {
  if (params.assetIds.length === 0) return [];
  return db
    .select()
    .from(emailAssets)
    .where(and(eq(emailAssets.workspaceId, params.workspaceId), inArray(emailAssets.id, [...params.assetIds])));
}

/** Deletes the row; its storage key when there was one in this workspace. */
export async function deleteEmailAsset(db: Db, params: { workspaceId: string; assetId: string }): Promise<string | undefined> {
  const [row] = await db
    .delete(emailAssets)
    .where(and(eq(emailAssets.workspaceId, params.workspaceId), eq(emailAssets.id, params.assetId)))
    .returning({ storageKey: emailAssets.storageKey });
  return row?.storageKey;
}
