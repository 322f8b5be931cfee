import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { contacts, erasures, workspaces } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";

export type Erasure = typeof erasures.$inferSelect;
export type ErasureStatus = Erasure["status"];

/** Statuses of an erasure not yet finished: one such erasure per contact (erasures_open_contact_idx). */
export const OPEN_ERASURE_STATUSES = ["pending", "waiting", "erasing"] as const satisfies readonly ErasureStatus[];

export async function getErasure(db: Db, params: { workspaceId: string; erasureId: string }): Promise<Erasure | undefined> {
  const [row] = await db
    .select()
    .from(erasures)
    .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.id, params.erasureId)));
  return row;
}

/** By id alone: the public restore page, whose signed token names the erasure. */
export async function getErasureById(db: Db, params: { erasureId: string }): Promise<Erasure | undefined> {
  const [row] = await db.select().from(erasures).where(eq(erasures.id, params.erasureId));
  return row;
}

export type ErasureRequest = { erasure: Erasure; created: boolean };

/**
 * Records a contact's erasure and hides the contact, in one transaction: from the commit on, the
 * contact is in no send, segment, list or lookup (visible-contacts.ts). A second request for a
 * contact with an open erasure answers that one. Undefined when the workspace has no such contact.
 * The contact row is locked first, so two concurrent requests cannot both create one.
 */
export async function requestContactErasure(
  db: Db,
  params: { workspaceId: string; contactId: string; requestedBy: string; at: Date; eraseAfter: Date },
): Promise<ErasureRequest | undefined> {
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.workspaceId, params.workspaceId), eq(contacts.id, params.contactId)))
      .for("update");
    if (!contact) return undefined;
    const [open] = await tx
      .select()
      .from(erasures)
      .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.contactId, params.contactId), inArray(erasures.status, [...OPEN_ERASURE_STATUSES])));
    if (open) return { erasure: open, created: false };
    const [erasure] = await tx
      .insert(erasures)
      .values({
        workspaceId: params.workspaceId,
        subject: "contact",
        contactId: params.contactId,
        requestedBy: params.requestedBy,
        requestedAt: params.at,
        eraseAfter: params.eraseAfter,
      })
      .returning();
    await tx.update(contacts).set({ erasureRequestedAt: params.at }).where(eq(contacts.id, params.contactId));
    return { erasure: erasure!, created: true };
  });
}

/**
 * Records the erasure of a whole workspace and marks it (its API keys stop working), in one
 * transaction under a lock on the workspace row; an open one is answered instead of a second.
 */
export async function requestWorkspaceErasure(
  db: Db,
  params: { workspaceId: string; requestedBy: string; at: Date; eraseAfter: Date },
): Promise<ErasureRequest | undefined> {
  return db.transaction(async (tx) => {
    const [workspace] = await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, params.workspaceId)).for("update");
    if (!workspace) return undefined;
    const [open] = await tx
      .select()
      .from(erasures)
      .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.subject, "workspace"), inArray(erasures.status, [...OPEN_ERASURE_STATUSES])));
    if (open) return { erasure: open, created: false };
    const [erasure] = await tx
      .insert(erasures)
      .values({ workspaceId: params.workspaceId, subject: "workspace", requestedBy: params.requestedBy, requestedAt: params.at, eraseAfter: params.eraseAfter })
      .returning();
    await tx.update(workspaces).set({ erasureRequestedAt: params.at }).where(eq(workspaces.id, params.workspaceId));
    return { erasure: erasure!, created: true };
  });
}

/** The workspace's open erasure, if its erasure was requested (its API keys are refused meanwhile). */
export async function openWorkspaceErasure(db: Db, params: { workspaceId: string }): Promise<Erasure | undefined> {
  const [row] = await db
    .select()
    .from(erasures)
    .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.subject, "workspace"), inArray(erasures.status, [...OPEN_ERASURE_STATUSES])))
    .limit(1);
  return row;
}

/** Newest first, keyset-paginated on (requested_at, id). */
export async function listErasures(
  db: Db,
  params: { workspaceId: string; status?: ErasureStatus; contactId?: string; limit: number; after?: Position },
): Promise<Erasure[]> {
  return db
    .select()
    .from(erasures)
    .where(
      and(
        eq(erasures.workspaceId, params.workspaceId),
        params.status ? eq(erasures.status, params.status) : undefined,
        params.contactId ? eq(erasures.contactId, params.contactId) : undefined,
        before(erasures.requestedAt, erasures.id, params.after),
      ),
    )
    .orderBy(desc(erasures.requestedAt), desc(erasures.id))
    .limit(params.limit);
}

export type RestoreOutcome =
  | { ok: true; erasure: Erasure }
  | { ok: false; reason: "not_found" | "already_restored" | "window_passed"; erasure?: Erasure };

/**
 * Undoes an erasure inside its window: the erasure becomes `restored` and the contact (or
 * workspace) visible again, in one transaction. Only a `pending` erasure whose window is still
 * open at `at` qualifies — the same condition the window's end checks, under the same row lock,
 * so a restore and the window's end never both win.
 */
export async function restoreErasure(db: Db, params: { workspaceId: string; erasureId: string; at: Date; restoredBy: string }): Promise<RestoreOutcome> {
  return db.transaction(async (tx) => {
    const [erasure] = await tx
      .select()
      .from(erasures)
      .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.id, params.erasureId)))
      .for("update");
    if (!erasure) return { ok: false, reason: "not_found" };
    if (erasure.status === "restored") return { ok: false, reason: "already_restored", erasure };
    if (erasure.status !== "pending" || erasure.eraseAfter.getTime() <= params.at.getTime()) return { ok: false, reason: "window_passed", erasure };
    const [restored] = await tx
      .update(erasures)
      .set({ status: "restored", restoredAt: params.at })
      .where(eq(erasures.id, erasure.id))
      .returning();
    if (erasure.subject === "contact" && erasure.contactId) {
      await tx
        .update(contacts)
        .set({ erasureRequestedAt: null })
        .where(and(eq(contacts.workspaceId, erasure.workspaceId), eq(contacts.id, erasure.contactId)));
    } else {
      await tx.update(workspaces).set({ erasureRequestedAt: null }).where(eq(workspaces.id, erasure.workspaceId));
    }
    return { ok: true, erasure: restored! };
  });
}

/**
 * The window's end: a `pending` erasure whose window has passed at `at` becomes `waiting` (its
 * turn under the daily quota comes next). False when it was restored meanwhile, or already moved on.
 */
export async function markErasureWaiting(db: Db, params: { workspaceId: string; erasureId: string; at: Date }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [erasure] = await tx
      .select()
      .from(erasures)
      .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.id, params.erasureId)))
      .for("update");
    if (!erasure || erasure.status !== "pending" || erasure.eraseAfter.getTime() > params.at.getTime()) return false;
    await tx.update(erasures).set({ status: "waiting" }).where(eq(erasures.id, erasure.id));
    return true;
  });
}

/** Starts (or resumes, after a crash) an erasure's execution: `waiting` or `erasing` → `erasing`. */
export async function claimErasure(db: Db, params: { workspaceId: string; erasureId: string }): Promise<Erasure | undefined> {
  const [row] = await db
    .update(erasures)
    .set({ status: "erasing" })
    .where(and(eq(erasures.workspaceId, params.workspaceId), eq(erasures.id, params.erasureId), inArray(erasures.status, ["waiting", "erasing"])))
    .returning();
  return row;
}

export async function finishErasure(db: Db, params: { erasureId: string; at: Date; counts: Record<string, number> }): Promise<void> {
  await db
    .update(erasures)
    .set({ status: "erased", executedAt: params.at, counts: params.counts, error: null })
    .where(and(eq(erasures.id, params.erasureId), eq(erasures.status, "erasing")));
}

export async function recordErasureError(db: Db, params: { erasureId: string; error: string }): Promise<void> {
  await db.update(erasures).set({ error: params.error }).where(eq(erasures.id, params.erasureId));
}

export async function countRecoveryEmail(db: Db, params: { erasureId: string }): Promise<void> {
  await db
    .update(erasures)
    .set({ recoveryEmailsSent: sql`${erasures.recoveryEmailsSent} + 1` })
    .where(eq(erasures.id, params.erasureId));
}

/**
 * Visible contacts among the given ids, in this workspace: the ids a bulk erasure request
 * may name (another workspace's, missing or already hidden ones are left out).
 */
export async function erasableContactIds(db: Db, params: { workspaceId: string; contactIds: readonly string[] }): Promise<string[]> {
  if (params.contactIds.length === 0) return [];
  const rows = await db
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, params.workspaceId), inArray(contacts.id, [...params.contactIds]), isNull(contacts.erasureRequestedAt)));
  return rows.map((row) => row.id);
}
