import type { Db } from "@/db";
import { getContact } from "@/db/queries/contacts";
import { getErasure } from "@/db/queries/erasures";
import { insertMessage, type Message } from "@/db/queries/messages";
import { getWorkspace } from "@/db/queries/workspaces";
import { publicUrl } from "@/lib/config/public-url";
import { signRestoreToken } from "./restore-token";

export type RecoveryEmail =
  | { outcome: "queued"; message: Message }
  | { outcome: "no_address" }
  /** The erasure is no longer inside its window (restored, or the window passed). */
  | { outcome: "closed" };

const escapeHtml = (text: string) =>
  text.replace(/[&<>"'{}%]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;", "%": "&#37;" })[c]!);

/** The restore page a recovery email links to. */
export const restoreUrl = (erasureId: string, baseUrl: string = publicUrl()) => `${baseUrl.replace(/\/+$/, "")}/erasure/restore?token=${signRestoreToken(erasureId)}`;

/**
 * Records the recovery email of a pending erasure as a transactional message to the contact's
 * address, for the ordinary send path (the outbox in development). The message names no contact
 * (contact_id null): messages to a hidden contact are never sent, and this one must be; the
 * erasure still finds it by its address. `key` makes it once per trigger (the event's id).
 * The workspace's name is in it, escaped (also of template syntax: the body is a template).
 */
export async function queueRecoveryEmail(db: Db, params: { workspaceId: string; erasureId: string; key: string; now: Date }): Promise<RecoveryEmail> {
  const erasure = await getErasure(db, params);
  if (!erasure || erasure.status !== "pending" || !erasure.contactId || erasure.eraseAfter.getTime() <= params.now.getTime()) return { outcome: "closed" };
  const contact = await getContact(db, { workspaceId: params.workspaceId, contactId: erasure.contactId, includeHidden: true });
  if (!contact?.email) return { outcome: "no_address" };
  const workspace = await getWorkspace(db, { workspaceId: params.workspaceId });
  const name = escapeHtml(workspace?.name ?? "Sendline");
  const link = escapeHtml(restoreUrl(erasure.id));
  const until = erasure.eraseAfter.toUTCString();
  const { row } = await insertMessage(db, {
    workspaceId: params.workspaceId,
    idempotencyKey: `erasure-recovery:${erasure.id}:${params.key}`,
    kind: "transactional",
    channel: "email",
    recipient: contact.email.toLowerCase(),
    contactId: null,
    request: {
      subject: `Your data at ${(workspace?.name ?? "Sendline").replace(/[{}%]/g, "")} will be erased`,
      body:
        `<p>Your data at <strong>${name}</strong> is scheduled to be erased, as requested.</p>` +
        `<p>If this was a mistake, you can undo it until ${escapeHtml(until)}:</p>` +
        `<p><a href="${link}">Restore my data</a></p>` +
        `<p>After that, your data is erased for good and cannot be recovered. If you asked for this, there is nothing to do.</p>`,
      data: {},
    },
  });
  return { outcome: "queued", message: row };
}
