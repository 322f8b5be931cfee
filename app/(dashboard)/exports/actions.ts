"use server";

import { refresh } from "next/cache";
import { failDataExport } from "@/db/queries/data-exports";
import { inngest } from "@/inngest/client";
import { exportRequestedEvent } from "@/inngest/export-event";
import { logger } from "@/lib/observability/logger";
import { requestExportFromDashboard, type RequestExportState } from "../_lib/request-export";
import { dashboardContext } from "../_lib/workspace";

/** The Export button of /exports, in the workspace the page was drawn for. */
export async function requestExportAction(_previous: RequestExportState, form: FormData): Promise<RequestExportState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { ok: false, message: "That workspace no longer exists: reload the page." };
  const state = await requestExportFromDashboard(db, {
    workspaceId: workspace.id,
    subject: String(form.get("subject") ?? ""),
    contact: String(form.get("contact") ?? ""),
    notifyEmail: String(form.get("notifyEmail") ?? ""),
    send: async (ids) => {
      try {
        await inngest.send(exportRequestedEvent(ids));
      } catch (error) {
        logger.error({ err: error, ...ids }, "exports: could not send the request event");
        await failDataExport(db, { ...ids, error: "The export could not be queued; request it again", finishedAt: new Date() });
        throw error;
      }
    },
  });
  refresh();
  return state;
}
