import type { Db } from "@/db";
import { insertMailboxConnection, type MailboxConnection } from "@/db/queries/mailbox-connections";
import { createStorageKey, type ByteSource, type FileStorage, type StoredFile } from "@/lib/storage/file-storage";
import { MAILBOX_MAX_FILE_BYTES } from "@/core/mailbox/mailbox-limits";
import { checkMailboxZip, isZipFile } from "./zip-to-mbox";

export type MailboxImportRequest = { workspaceId: string; fileName: string; label?: string; ownerAddresses: string[]; storeBodies: boolean };

export function mailboxFileKey(workspaceId: string): string {
  return createStorageKey("mailbox", workspaceId);
}

/**
 * Records an `import` connection reading a stored file; the file is dropped if the row cannot be
 * written. A zip is checked first (checkMailboxZip: entry count and declared size), so a zip bomb
 * is refused with a MailboxFileError before any connection exists.
 */
export async function recordMailboxImport(db: Db, storage: FileStorage, stored: StoredFile, request: MailboxImportRequest): Promise<MailboxConnection> {
  try {
    if (await isZipFile(storage, stored.key)) await checkMailboxZip(storage, { key: stored.key, bytes: stored.bytes });
    return await insertMailboxConnection(db, {
      workspaceId: request.workspaceId,
      kind: "import",
      label: request.label ?? request.fileName,
      ownerAddresses: [...new Set(request.ownerAddresses.map((address) => address.trim().toLowerCase()).filter((address) => address !== ""))],
      storeBodies: request.storeBodies,
      fileKey: stored.key,
      fileName: request.fileName,
      fileBytes: stored.bytes,
      sha256: stored.sha256,
    });
  } catch (error) {
    await storage.delete(stored.key).catch(() => {});
    throw error;
  }
}

/** Streams a file into storage and records its import connection (tests and scripts; the API streams its upload the same way). */
export async function createMailboxImport(db: Db, storage: FileStorage, body: ByteSource, request: MailboxImportRequest): Promise<MailboxConnection> {
  const stored = await storage.put(mailboxFileKey(request.workspaceId), body, { maxBytes: MAILBOX_MAX_FILE_BYTES });
  return recordMailboxImport(db, storage, stored, request);
}
