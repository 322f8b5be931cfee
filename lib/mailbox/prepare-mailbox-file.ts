import type { Db } from "@/db";
import { getMailboxConnection, replaceMailboxFile } from "@/db/queries/mailbox-connections";
import { createStorageKey, type FileStorage } from "@/lib/storage/file-storage";
import { isZipFile, zipToMbox } from "./zip-to-mbox";

/**
 * Before the first page: an uploaded .zip of .eml files is rewritten as one mbox and the
 * connection pointed at it (the zip deleted), so every page reads one format by byte offsets.
 * A connection that has a cursor already is past this; a retry after the swap finds a non-zip.
 */
export async function prepareMailboxFile(db: Db, storage: FileStorage, params: { workspaceId: string; connectionId: string }): Promise<{ converted: boolean; messages?: number }> {
  const connection = await getMailboxConnection(db, params);
  if (!connection?.fileKey || connection.cursor || connection.status !== "active") return { converted: false };
  if (!(await isZipFile(storage, connection.fileKey))) return { converted: false };
  const targetKey = createStorageKey("mailbox", params.workspaceId);
  const stored = await zipToMbox(storage, { sourceKey: connection.fileKey, targetKey });
  await replaceMailboxFile(db, { ...params, fileKey: stored.key, fileBytes: stored.bytes });
  await storage.delete(connection.fileKey);
  return { converted: true, messages: stored.messages };
}
