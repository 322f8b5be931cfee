import type { Db } from "@/db";
import { z } from "zod";
import { requestArchive, requestRestore } from "@/lib/archives/request-archive";
import type { ArchiveActionState } from "./archive-action-state";


type Send = (kind: "archive" | "restore", event: { workspaceId: string; archiveId: string; requestedAt: Date }) => Promise<boolean>;

/** The campaign page's Archive / Restore buttons: the same requests as the API, attributed to the dashboard. */
export async function runArchiveAction(db: Db, params: { workspaceId: string; campaignId: string; action: string; send: Send }): Promise<ArchiveActionState> {
  if (!z.uuid().safeParse(params.campaignId).success || (params.action !== "archive" && params.action !== "restore")) {
    return { ok: false, message: "Unknown campaign or action." };
  }
  const request = params.action === "archive" ? requestArchive : requestRestore;
  const outcome = await request(db, { workspaceId: params.workspaceId, campaignId: params.campaignId, requestedBy: "dashboard", now: new Date() });
  if (!outcome.ok) return { ok: false, message: outcome.message };
  if (!(await params.send(params.action, outcome.event))) {
    return { ok: false, message: `The ${params.action} is recorded but could not be queued; the nightly plan picks an archive up again, or try once more.` };
  }
  return {
    ok: true,
    message: params.action === "archive" ? "Archiving: the campaign's rows are being written to cold storage." : "Restoring: the campaign's rows are being checked and put back.",
  };
}
