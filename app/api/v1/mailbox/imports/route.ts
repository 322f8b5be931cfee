import { NextResponse } from "next/server";
import { inngest } from "@/inngest/client";
import { mailboxImportRequested } from "@/inngest/events";
import { recordApiAction } from "@/lib/api/record-api-action";
import { apiError, type ApiErrorBody } from "@/lib/api/responses";
import { apiRoute, parseRequest } from "@/lib/api/route";
import { readMultipartUpload, UploadTooLargeError } from "@/lib/imports/read-multipart-upload";
import { MAILBOX_MAX_FILE_BYTES } from "@/core/mailbox/mailbox-limits";
import { mailboxFileKey, recordMailboxImport } from "@/lib/mailbox/create-mailbox-import";
import { mailboxUploadFields } from "@/lib/mailbox/mailbox-upload-fields";
import { mailboxConnectionView } from "@/lib/mailbox/mailbox-views";
import { MailboxFileError } from "@/lib/mailbox/zip-to-mbox";
import { logger } from "@/lib/observability/logger";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** Multipart framing and the small fields on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;

const tooLarge = () =>
  apiError(413, "file_too_large", `The file is larger than ${MAILBOX_MAX_FILE_BYTES / (1024 * 1024)} MB`, { file: [`must be at most ${MAILBOX_MAX_FILE_BYTES} bytes`] });

/**
 * Upload an .mbox, .eml or .zip of .eml files: multipart `file` plus optional `ownerAddresses`,
 * `label` and `storeBodies`. A zip over the entry or inflated-size caps is refused (413), one that
 * is not a readable zip too (400). Streamed to storage as the contact import's upload is; an `import`
 * connection is created and import-mailbox reads it a page at a time.
 */
export const POST = apiRoute(async ({ db, principal, request }) => {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAILBOX_MAX_FILE_BYTES + UPLOAD_OVERHEAD_BYTES) return tooLarge();
  const storage = createFileStorage();
  let upload;
  try {
    upload = await readMultipartUpload(request, { storage, key: mailboxFileKey(principal.workspaceId), fileField: "file", maxBytes: MAILBOX_MAX_FILE_BYTES });
  } catch (error) {
    if (error instanceof UploadTooLargeError) return tooLarge();
    throw error;
  }
  const parsed = parseRequest(mailboxUploadFields, upload.fields);
  const problems = { ...upload.problems };
  if (!upload.file && !problems.file) problems.file = ["is required"];
  else if (upload.file && upload.file.bytes === 0) problems.file = ["is empty"];
  if (!parsed.ok || Object.keys(problems).length > 0) {
    if (upload.file) await storage.delete(upload.file.key);
    const response = parsed.ok ? null : ((await parsed.response.json()) as ApiErrorBody);
    const fields = { ...(response?.error.fields ?? {}) };
    for (const [field, messages] of Object.entries(problems)) fields[field] = [...(fields[field] ?? []), ...messages];
    return apiError(400, "invalid_request", "The request has invalid fields", fields);
  }
  let connection;
  try {
    connection = await recordMailboxImport(db, storage, upload.file!, {
      workspaceId: principal.workspaceId,
      fileName: upload.file!.fileName,
      label: parsed.data.label,
      ownerAddresses: parsed.data.ownerAddresses,
      storeBodies: parsed.data.storeBodies,
    });
  } catch (error) {
    // A zip past the entry or inflated-size caps (or not readable as a zip): refused, nothing stored.
    if (error instanceof MailboxFileError) return apiError(error.code === "zip_invalid" ? 400 : 413, error.code, error.message, { file: [error.message] });
    throw error;
  }
  await recordApiAction(db, principal, { action: "mailbox.import_created", targetType: "mailbox_connection", targetId: connection.id });
  try {
    await inngest.send(mailboxImportRequested.create({ workspaceId: principal.workspaceId, connectionId: connection.id }, { id: `mailbox-import-${connection.id}` }));
  } catch (error) {
    logger.error({ err: error, workspaceId: principal.workspaceId, connectionId: connection.id }, "mailbox: could not send the event");
    return apiError(503, "queue_unavailable", "The file is stored but the import could not be queued; post the file again");
  }
  return NextResponse.json(mailboxConnectionView(connection), { status: 201 });
});
