/** What "Back up now" reports beside the button (shared by the server action and the client form). */
export type BackupActionState = { ok: boolean | null; message: string };
export const IDLE_BACKUP_ACTION: BackupActionState = { ok: null, message: "" };
