/** The Archive / Restore buttons' state: apart from archive-action.ts, whose server code must stay out of the client bundle. */
export type ArchiveActionState = { ok: boolean; message: string };
export const IDLE_ARCHIVE_ACTION: ArchiveActionState = { ok: true, message: "" };
