import { NextResponse } from "next/server";
import { listImports } from "@/db/queries/imports";
import { getList } from "@/db/queries/lists";
import { inngest } from "@/inngest/client";
import { contactImportRequested } from "@/inngest/events";
import { page } from "@/core/pagination/cursor";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, type ApiErrorBody, notFound } from "@/lib/api/responses";
import { importsApi } from "@/lib/api/contracts/imports";
import { apiRoute, parseRequest, readQuery } from "@/lib/api/route";
import { importFileKey, recordImport } from "@/lib/imports/create-import";
import { importUploadFields } from "@/lib/imports/import-upload-fields";
import { importView } from "@/lib/imports/import-view";
import { IMPORT_MAX_FILE_BYTES } from "@/lib/imports/limits";
import { readMultipartUpload, UploadTooLargeError } from "@/lib/imports/read-multipart-upload";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { logger } from "@/lib/observability/logger";

/** Multipart framing and the small fields on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;

const tooLarge = () =>
  apiError(413, "file_too_large", `The file is larger than ${IMPORT_MAX_FILE_BYTES / (1024 * 1024)} MB`, {
    file: [`must be at most ${IMPORT_MAX_FILE_BYTES} bytes`],
  });

/**
 * Upload a CSV, XLSX or vCard file to import: multipart `file` plus optional `listId`, `mode`,
 * `mapping` (JSON), `sheet` and `tagsAs` ("attribute" or "lists"). The file is streamed to
 * storage; import-contacts does the rest. The same file with the same options again answers
 * 200 with the existing import.
 */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > IMPORT_MAX_FILE_BYTES + UPLOAD_OVERHEAD_BYTES) return tooLarge();

  const storage = createFileStorage();
  const key = importFileKey(principal.workspaceId);
  let upload;
  try {
    upload = await readMultipartUpload(request, { storage, key, fileField: "file", maxBytes: IMPORT_MAX_FILE_BYTES });
  } catch (error) {
    if (error instanceof UploadTooLargeError) return tooLarge();
    throw error;
  }
  const discard = () => (upload.file ? storage.delete(upload.file.key) : Promise.resolve());

  const parsed = parseRequest(importUploadFields, upload.fields);
  const problems = { ...upload.problems };
  if (!upload.file && !problems.file) problems.file = ["is required"];
  if (!parsed.ok || Object.keys(problems).length > 0) {
    await discard();
    const response = parsed.ok ? null : ((await parsed.response.json()) as ApiErrorBody);
    const fields = { ...(response?.error.fields ?? {}) };
    for (const [field, messages] of Object.entries(problems)) fields[field] = [...(fields[field] ?? []), ...messages];
    return apiError(400, "invalid_request", "The request has invalid fields", fields);
  }
  const { listId, mode, mapping, sheet, tagsAs } = parsed.data;
  if (listId && !(await getList(db, { workspaceId: principal.workspaceId, listId }))) {
    await discard();
    return notFound("List");
  }

  const { row, created } = await recordImport(db, storage, upload.file!, {
    workspaceId: principal.workspaceId,
    fileName: upload.file!.fileName,
    mode,
    listId: listId ?? null,
    mapping: mapping ?? {},
    sheetName: sheet ?? null,
    tagsAs,
  });
  if (created) await recordApiAction(db, principal, { action: "import.created", targetType: "import", targetId: row.id });
  // Sent for a repeat too: if the first send failed after the row was written, this one starts
  // the run; otherwise the event id makes it a no-op.
  try {
    await inngest.send(contactImportRequested.create({ workspaceId: principal.workspaceId, importId: row.id }, { id: `contact-import-${row.id}` }));
  } catch (error) {
    logger.error({ err: error, workspaceId: principal.workspaceId, importId: row.id }, "imports: could not send the event");
    return apiError(503, "queue_unavailable", "The file is stored but the import could not be queued; post the same file again");
  }
  return NextResponse.json({ id: row.id, status: row.status }, { status: created ? 202 : 200 });
});

export const GET = apiRoute(async ({ db, principal, request }) => {
  const query = readQuery(request, importsApi.list.query);
  if (!query.ok) return query.response;
  const rows = await listImports(db, { workspaceId: principal.workspaceId, limit: query.data.limit + 1, after: query.data.cursor });
  const { items, nextCursor } = page(rows, query.data.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return NextResponse.json({ data: items.map(importView), nextCursor });
});
