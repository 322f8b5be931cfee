"use server";

import { revalidatePath } from "next/cache";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { inngest } from "@/inngest/client";
import { mailboxStartEvents, mailboxSyncEvent } from "@/inngest/mailbox-sync-event";
import { connectImapMailbox, reconnectImapMailbox } from "@/lib/mailbox/imap/connect-imap-mailbox";
import { imapConnectionFields, imapCredentialsFields } from "@/lib/mailbox/imap/imap-connection-fields";
import type { UploadState } from "../_lib/upload-limits";
import { dashboardContext } from "../_lib/workspace";

const fieldErrors = (issues: { path: PropertyKey[]; message: string }[]) => {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    (fields[field] ??= []).push(issue.message);
  }
  return fields;
};

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

/** The form's state: errors, and what was typed (never the password), so a refused login does not empty the form. */
export type ImapFormState = UploadState & { values?: Record<string, string> };

/**
 * The "Connect an IMAP mailbox" form: the same checks, login and events as
 * POST /api/v1/mailbox/connections; a refused login or an unreachable server shows next to the
 * password or the host. The password is never sent back to the page.
 */
export async function connectImapAction(_previous: ImapFormState, form: FormData): Promise<ImapFormState> {
  const values = Object.fromEntries(["host", "port", "user", "ownerAddresses", "folders", "label"].map((name) => [name, text(form, name)]));
  values.secure = form.get("secure") === "on" ? "on" : "off";
  const failed = (state: UploadState): ImapFormState => ({ ...state, values });
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { message: "That workspace no longer exists: reload the page.", fields: {} };
  const port = text(form, "port");
  const folders = text(form, "folders");
  const parsed = imapConnectionFields.safeParse({
    kind: "imap",
    host: text(form, "host"),
    port: port === "" ? undefined : Number(port),
    secure: form.get("secure") === "on",
    user: text(form, "user"),
    password: String(form.get("password") ?? ""),
    ownerAddresses: text(form, "ownerAddresses").split(/[\s,;]+/).filter((part) => part !== ""),
    ...(folders ? { folders: folders.split(",").map((folder) => folder.trim()).filter(Boolean) } : {}),
    ...(text(form, "label") ? { label: text(form, "label") } : {}),
  });
  if (!parsed.success) return failed({ message: null, fields: fieldErrors(parsed.error.issues) });
  const result = await connectImapMailbox(db, workspace.id, parsed.data);
  if (!result.ok) return failed({ message: null, fields: { [result.problem.field]: [result.problem.message] } });
  const ids = { workspaceId: workspace.id, connectionId: result.connection.id };
  try {
    await inngest.send(mailboxStartEvents(ids, { key: "created", backfilled: false }));
  } catch {
    return { message: "The mailbox is connected but its first sync could not be queued: is the Inngest server running?", fields: {} };
  }
  revalidatePath("/mailbox");
  return { message: null, fields: {} };
}

/** "Sync now": an incremental run ahead of any backfill, as POST …/{id}/sync. */
export async function syncMailboxNowAction(form: FormData): Promise<void> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  const connectionId = String(form.get("connection") ?? "");
  if (!workspace || !connectionId) return;
  const ids = { workspaceId: workspace.id, connectionId };
  const row = await getMailboxConnection(db, ids).catch(() => undefined);
  if (!row || row.kind === "import" || row.status !== "active") return;
  await inngest.send(mailboxSyncEvent(ids, "incremental", `requested-${Date.now()}`));
  revalidatePath("/mailbox");
}

/** "Reconnect" with a new password, as POST …/{id}/credentials. */
export async function reconnectImapAction(_previous: UploadState, form: FormData): Promise<UploadState> {
  const { db, workspaces } = await dashboardContext();
  const workspace = workspaces.find((candidate) => candidate.id === form.get("workspace"));
  if (!workspace) return { message: "That workspace no longer exists: reload the page.", fields: {} };
  const parsed = imapCredentialsFields.safeParse({ password: String(form.get("password") ?? "") });
  if (!parsed.success) return { message: null, fields: fieldErrors(parsed.error.issues) };
  const ids = { workspaceId: workspace.id, connectionId: String(form.get("connection") ?? "") };
  const result = await reconnectImapMailbox(db, ids, parsed.data.password).catch(() => undefined);
  if (!result) return { message: "That connection no longer exists: reload the page.", fields: {} };
  if (!result.ok) return result.problem.status === 409 ? { message: result.problem.message, fields: {} } : { message: null, fields: { password: [result.problem.message] } };
  const at = result.connection.updatedAt.getTime();
  await inngest.send([mailboxSyncEvent(ids, "incremental", `reconnected-${at}`), ...(result.connection.backfilledAt ? [] : [mailboxSyncEvent(ids, "backfill", `reconnected-${at}`)])]);
  revalidatePath("/mailbox");
  return { message: null, fields: {} };
}
