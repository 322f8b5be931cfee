"use server";

import { redirect } from "next/navigation";
import { inngest } from "@/inngest/client";
import { contactImportRequested } from "@/inngest/events";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { submitImportUpload } from "../_lib/upload-import";
import type { UploadState } from "../_lib/upload-limits";
import { dashboardContext } from "../_lib/workspace";

/**
 * The upload form on /imports. The workspace is the one the form was rendered for (a hidden
 * field), and must still exist: an upload never falls back to another workspace.
 */
export async function uploadImportAction(_previous: UploadState, form: FormData): Promise<UploadState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { message: "That workspace no longer exists: reload the page.", fields: {} };
  const result = await submitImportUpload(db, createFileStorage(), {
    workspaceId: workspace.id,
    form,
    queue: async (importId) => {
      // Same event id as the API's, so a repeat upload (here or there) never starts a second run.
      await inngest.send(contactImportRequested.create({ workspaceId: workspace.id, importId }, { id: `contact-import-${importId}` }));
    },
  });
  if (!result.ok) return result.state;
  redirect(`/imports/${result.importId}`);
}
