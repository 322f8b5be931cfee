import { z } from "zod";
import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { getList } from "@/db/queries/lists";
import { createImport } from "@/lib/imports/create-import";
import { importFileName } from "@/lib/imports/import-file-name";
import { importUploadFields } from "@/lib/imports/import-upload-fields";
import { IMPORT_MAX_FILE_BYTES } from "@/lib/imports/limits";
import type { FileStorage } from "@/lib/storage/file-storage";
import { FileTooLargeError, isStorageOutage } from "@/lib/storage/storage-error";
import type { UploadState } from "./upload-limits";
import { logger } from "@/lib/observability/logger";

const failure = (message: string, fields: Record<string, string[]> = {}): { ok: false; state: UploadState } => ({ ok: false, state: { message, fields } });

/** The form's file name as a display name: no path, no control characters, at most 255 characters. */
export function uploadFileName(name: string): string {
  return importFileName(name);
}

/** The non-file fields as the API reads them; empty inputs count as absent. */
export function uploadFieldsOf(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ["listId", "mode", "mapping", "sheet", "tagsAs"]) {
    const value = form.get(name);
    if (typeof value === "string" && value.trim() !== "") fields[name] = value;
  }
  return fields;
}

/** What the form shows when storage is down or misconfigured: nothing was stored, and the detail is in the log. */
export const STORAGE_OUTAGE_MESSAGE = "File storage is unavailable, so the file was not stored and nothing was imported. Try again in a few minutes; if it keeps failing, the server's file storage settings need checking.";

export type UploadResult = { ok: true; importId: string; created: boolean } | { ok: false; state: UploadState };

/**
 * What POST /api/v1/imports does, for the dashboard's form: validate the fields with the API's
 * schema, check the list belongs to the workspace, stream the file into storage through
 * createImport, audit, and queue the run. The same file with the same options again returns
 * the existing import (and re-queues it, which its event id makes a no-op).
 */
export async function submitImportUpload(
  db: Db,
  storage: FileStorage,
  params: { workspaceId: string; form: FormData; queue: (importId: string) => Promise<void> },
): Promise<UploadResult> {
  const { workspaceId, form } = params;
  const file = form.get("file");
  const parsed = importUploadFields.safeParse(uploadFieldsOf(form));
  const fields: Record<string, string[]> = parsed.success ? {} : { ...z.flattenError(parsed.error).fieldErrors };
  if (!(file instanceof File) || file.size === 0) fields.file = ["choose a CSV, XLSX or vCard file"];
  if (!parsed.success || !(file instanceof File) || fields.file) return failure("The upload has invalid fields.", fields);

  const { listId, mode, mapping, sheet, tagsAs } = parsed.data;
  if (listId && !(await getList(db, { workspaceId, listId }))) return failure("The upload has invalid fields.", { listId: ["is not a list of this workspace"] });

  let result;
  try {
    result = await createImport(db, storage, {
      workspaceId,
      fileName: uploadFileName(file.name),
      mode,
      listId: listId ?? null,
      mapping: mapping ?? {},
      sheetName: sheet ?? null,
      tagsAs,
      body: file.stream(),
      maxBytes: IMPORT_MAX_FILE_BYTES,
    });
  } catch (error) {
    if (error instanceof FileTooLargeError) return failure(error.message, { file: [`must be at most ${IMPORT_MAX_FILE_BYTES} bytes`] });
    if (isStorageOutage(error)) {
      logger.error({ err: error, workspaceId, kind: error.kind }, "dashboard: file storage refused the upload");
      return failure(STORAGE_OUTAGE_MESSAGE);
    }
    throw error;
  }
  const { row, created } = result;
  if (created) await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "import.created", targetType: "import", targetId: row.id });
  try {
    await params.queue(row.id);
  } catch (error) {
    logger.error({ err: error, workspaceId, importId: row.id }, "dashboard: could not queue the import");
    return failure("The file is stored but the import could not be queued: check the Inngest server, then upload the same file again.");
  }
  return { ok: true, importId: row.id, created };
}
