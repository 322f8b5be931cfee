/**
 * Client-safe pieces of the dashboard upload (the form imports these; the server side is
 * upload-import.ts).
 *
 * Next's default `serverActions.bodySizeLimit` is 1 MB and next.config.js does not raise it: a
 * bigger form is refused before the action runs. The form checks the size first and points
 * larger files at POST /api/v1/imports, which streams up to IMPORT_MAX_FILE_BYTES.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;
/** Room for the multipart framing and the small fields beside the file. */
export const DASHBOARD_UPLOAD_MAX_BYTES = SERVER_ACTION_BODY_LIMIT_BYTES - 16 * 1024;

export type UploadState = { message: string | null; fields: Record<string, string[]> };
export const IDLE_UPLOAD: UploadState = { message: null, fields: {} };
