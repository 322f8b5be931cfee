import type { Db } from "@/db";
import { type Erasure, getErasure, requestContactErasure, requestWorkspaceErasure, restoreErasure, type RestoreOutcome } from "@/db/queries/erasures";
import { inngest } from "@/inngest/client";
import { erasureRequestedEvents, erasureRestoredEvent, recoveryEmailEvent } from "@/inngest/erasure-events";
import { eraseAfterOf } from "@/lib/lifecycle/erasure-settings";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

/**
 * Starting, undoing and re-mailing erasures, for the API, the dashboard and the public restore
 * page alike. Events go out on every call, not only the first: if an earlier send failed after
 * the erasure was recorded, this one starts the window; if not, the event ids make it a no-op.
 * `queued: false` when the events could not be sent (the erasure is recorded; a retry sends them).
 */
export type Started = { erasure: Erasure; created: boolean; queued: boolean };

async function sendAll(events: Parameters<typeof inngest.send>[0], context: Record<string, unknown>): Promise<boolean> {
  try {
    await inngest.send(events);
    return true;
  } catch (error) {
    logger.error({ err: error, ...context }, "erasures: could not send the events");
    return false;
  }
}

async function started(request: { erasure: Erasure; created: boolean }): Promise<Started> {
  const { erasure, created } = request;
  if (created) {
    metrics().erasures.inc({ subject: erasure.subject, event: "requested" });
    if (erasure.subject === "contact") metrics().erasureRecoveryEmails.inc({ outcome: "requested" });
    logger.info({ workspaceId: erasure.workspaceId, erasureId: erasure.id, subject: erasure.subject, eraseAfter: erasure.eraseAfter.toISOString() }, "erasure: requested");
  }
  const queued = erasure.status === "pending" ? await sendAll(erasureRequestedEvents(erasure), { workspaceId: erasure.workspaceId, erasureId: erasure.id }) : true;
  return { erasure, created, queued };
}

export async function startContactErasure(db: Db, params: { workspaceId: string; contactId: string; requestedBy: string }): Promise<Started | undefined> {
  const at = new Date();
  const request = await requestContactErasure(db, { ...params, at, eraseAfter: eraseAfterOf(at) });
  return request && started(request);
}

export async function startWorkspaceErasure(db: Db, params: { workspaceId: string; requestedBy: string }): Promise<Started | undefined> {
  const at = new Date();
  const request = await requestWorkspaceErasure(db, { ...params, at, eraseAfter: eraseAfterOf(at) });
  return request && started(request);
}

/** Undoes an erasure within its window and cancels the window's run (cancelOn). */
export async function undoErasure(db: Db, params: { workspaceId: string; erasureId: string; restoredBy: string }): Promise<RestoreOutcome> {
  const outcome = await restoreErasure(db, { ...params, at: new Date() });
  if (!outcome.ok) return outcome;
  const { erasure } = outcome;
  metrics().erasures.inc({ subject: erasure.subject, event: "restored" });
  logger.info({ workspaceId: erasure.workspaceId, erasureId: erasure.id, subject: erasure.subject, restoredBy: params.restoredBy }, "erasure: restored");
  // Not sending is harmless: the window's run re-reads the erasure when it wakes and finds it restored.
  await sendAll(erasureRestoredEvent(erasure), { workspaceId: erasure.workspaceId, erasureId: erasure.id });
  return outcome;
}

export type ResendOutcome = { ok: true; erasure: Erasure; queued: boolean } | { ok: false; reason: "not_found" | "closed" };

/** Asks for the recovery email again; the function's rate limit decides whether one goes. */
export async function resendRecoveryEmail(db: Db, params: { workspaceId: string; erasureId: string }): Promise<ResendOutcome> {
  const erasure = await getErasure(db, params);
  if (!erasure) return { ok: false, reason: "not_found" };
  if (erasure.subject !== "contact" || !erasure.contactId || erasure.status !== "pending" || erasure.eraseAfter.getTime() <= Date.now()) return { ok: false, reason: "closed" };
  metrics().erasureRecoveryEmails.inc({ outcome: "requested" });
  const queued = await sendAll(recoveryEmailEvent(erasure), { workspaceId: erasure.workspaceId, erasureId: erasure.id });
  return { ok: true, erasure, queued };
}
