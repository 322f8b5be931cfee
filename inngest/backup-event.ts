import { backupRequested } from "./events";

/** Asks run-backup to take a recorded backup; once per backup (the id dedupes a resend). */
export const backupRequestedEvent = (backupId: string) => backupRequested.create({ backupId }, { id: `backup-${backupId}` });
