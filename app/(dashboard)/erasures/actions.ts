"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { resendRecoveryEmail, startContactErasure, undoErasure } from "@/app/_lib/erasures";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { ERASURE_ACTIONS, type ErasureActionState } from "../_lib/erasure-action-state";
import { dashboardContext } from "../_lib/workspace";

const input = z.object({ workspace: z.uuid(), kind: z.enum(ERASURE_ACTIONS), target: z.uuid() });

/**
 * The erasure buttons: Erase on a contact's page (target: the contact), Restore and "Send
 * recovery email" on /erasures (target: the erasure), in the workspace the page was drawn for.
 */
export async function erasureAction(_previous: ErasureActionState, form: FormData): Promise<ErasureActionState> {
  const parsed = input.safeParse({ workspace: form.get("workspace"), kind: form.get("kind"), target: form.get("target") });
  if (!parsed.success) return { ok: false, message: "That request is not valid: reload the page." };
  const { workspace: workspaceId, kind, target } = parsed.data;
  const { db, workspaces } = await dashboardContext();
  if (!workspaces.some((candidate) => candidate.id === workspaceId)) return { ok: false, message: "That workspace no longer exists: reload the page." };
  let state: ErasureActionState;
  if (kind === "erase") {
    const started = await startContactErasure(db, { workspaceId, contactId: target, requestedBy: "dashboard" });
    if (!started) state = { ok: false, message: "That contact no longer exists." };
    else {
      if (started.created) await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "contact.erasure_requested", targetType: "contact", targetId: target, details: { erasureId: started.erasure.id } });
      if (!started.queued) return { ok: false, message: "The erasure is recorded but could not be queued: try again." };
      // The contact is hidden now, its page too: show the erasure where it can be undone.
      redirect(`/erasures?workspace=${workspaceId}`);
    }
  } else if (kind === "restore") {
    const outcome = await undoErasure(db, { workspaceId, erasureId: target, restoredBy: "dashboard" });
    if (outcome.ok) await insertAuditEntry(db, { workspaceId, actor: "dashboard", action: "erasure.restored", targetType: "erasure", targetId: target });
    state = outcome.ok
      ? { ok: true, message: "Restored: everything is as it was." }
      : { ok: false, message: outcome.reason === "not_found" ? "That erasure no longer exists." : outcome.reason === "already_restored" ? "Already restored." : "The recovery window has passed." };
  } else {
    const outcome = await resendRecoveryEmail(db, { workspaceId, erasureId: target });
    state = !outcome.ok
      ? { ok: false, message: outcome.reason === "not_found" ? "That erasure no longer exists." : "Only a contact's erasure inside its window has a recovery email." }
      : outcome.queued
        ? { ok: true, message: "Asked for: at most 2 recovery emails reach a contact per day." }
        : { ok: false, message: "Could not be queued: try again." };
  }
  refresh();
  return state;
}
