import type { Db } from "@/db";
import { deleteEmailAsset, getEmailAsset } from "@/db/queries/email-assets";
import type { FileStorage } from "@/lib/storage/file-storage";

/**
 * Deletes an asset: its file first, then its row, so a storage outage leaves both in place for
 * a retry instead of a row-less file no erasure would find. Emails already sent that show it
 * lose the image (it answers 404 from then on, though caches may keep it). False: no such
 * asset in this workspace.
 */
export async function deleteEmailImage(db: Db, storage: FileStorage, params: { workspaceId: string; assetId: string }): Promise<boolean> {
  const asset = await getEmailAsset(db, params);
  if (!asset) return false;
  await storage.delete(asset.storageKey);
  return (await deleteEmailAsset(db, params)) !== undefined;
}
