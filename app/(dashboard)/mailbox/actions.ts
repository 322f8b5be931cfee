"use server";

import { revalidatePath } from "next/cache";
import { inngest } from "@/inngest/client";
import { mailboxImportRequested } from "@/inngest/events";
import { createMailboxImport } from "@/lib/mailbox/create-mailbox-import";
import { mailboxUploadFields } from "@/lib/mailbox/mailbox-upload-fields";
import { MailboxFileError } from "@/lib/mailbox/zip-to-mbox";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import type { UploadState } from "../_lib/upload-limits";
import { dashboardContext } from "../_lib/workspace";

/**
 * The upload form on /mailbox: the same connection and event as POST /api/v1/mailbox/imports.
 * The workspace is the one the form was rendered for and must still exist.
 */
export async function uploadMailboxAction(_previous: UploadState, form: FormData): Promise<UploadState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { message: "That workspace no longer exists: reload the page.", fields: {} };
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return { message: null, fields: { file: ["choose an .mbox, .eml or .zip file"] } };
  const fields = mailboxUploadFields.safeParse({ ownerAddresses: String(form.get("ownerAddresses") ?? "") || undefined });
  if (!fields.success) return { message: null, fields: { ownerAddresses: fields.error.issues.map((issue) => issue.message) } };
  let connection;
  try {
    connection = await createMailboxImport(db, createFileStorage(), file.stream(), {
      workspaceId: workspace.id,
      fileName: file.name || "mailbox",
      ownerAddresses: fields.data.ownerAddresses,
      storeBodies: false,
    });
  } catch (error) {
    if (error instanceof MailboxFileError) return { message: null, fields: { file: [error.message] } };
    throw error;
  }
  try {
    await inngest.send(mailboxImportRequested.create({ workspaceId: workspace.id, connectionId: connection.id }, { id: `mailbox-import-${connection.id}` }));
  } catch {
    return { message: "The file is stored but the import could not be queued: is the Inngest server running?", fields: {} };
  }
  revalidatePath("/mailbox");
  return { message: null, fields: {} };
}
