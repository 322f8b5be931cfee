"use server";

import { refresh } from "next/cache";
import { backupRequestedEvent } from "@/inngest/backup-event";
import { inngest } from "@/inngest/client";
import { startBackupFromDashboard } from "../_lib/backup-action";
import type { BackupActionState } from "../_lib/backup-action-state";
import { dashboardContext } from "../_lib/workspace";

export async function submitBackup(_previous: BackupActionState): Promise<BackupActionState> {
  const { db } = await dashboardContext();
  const state = await startBackupFromDashboard(db, async (backupId) => {
    await inngest.send(backupRequestedEvent(backupId));
  });
  refresh();
  return state;
}
