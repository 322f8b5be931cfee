import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import type { Position } from "@/core/pagination/cursor";
import { archiveContacts, campaignArchives, campaigns } from "@/db/schema";
import { before } from "./keyset";
import { rowsOf } from "./rows-of";

export type CampaignArchive = typeof campaignArchives.$inferSelect;
export type ArchiveStatus = CampaignArchive["status"];

/** Campaign statuses an archive may be taken of: finished (sent, failed) or cancelled, never one that may still send. */
export const ARCHIVABLE_CAMPAIGN_STATUSES = ["sent", "failed", "cancelled"] as const;

export async function getArchive(db: Db, params: { workspaceId: string; archiveId: string }): Promise<CampaignArchive | undefined> {
  const [row] = await db
    .select()
    .from(campaignArchives)
    .where(and(eq(campaignArchives.workspaceId, params.workspaceId), eq(campaignArchives.id, params.archiveId)));
  return row;
}

export async function getCampaignArchive(db: Db, params: { workspaceId: string; campaignId: string }): Promise<CampaignArchive | undefined> {
  const [row] = await db
    .select()
    .from(campaignArchives)
    .where(and(eq(campaignArchives.workspaceId, params.workspaceId), eq(campaignArchives.campaignId, params.campaignId)));
  return row;
}

/** The archives of several campaigns at once (a page of the campaign list). */
export async function archivesOfCampaigns(db: Db, params: { workspaceId: string; campaignIds: string[] }): Promise<CampaignArchive[]> {
  if (params.campaignIds.length === 0) return [];
  return db
    .select()
    .from(campaignArchives)
    .where(and(eq(campaignArchives.workspaceId, params.workspaceId), inArray(campaignArchives.campaignId, params.campaignIds)));
}

export async function listArchives(db: Db, params: { workspaceId: string; limit: number; after?: Position; status?: ArchiveStatus }): Promise<CampaignArchive[]> {
  return db
    .select()
    .from(campaignArchives)
    .where(
      and(
        eq(campaignArchives.workspaceId, params.workspaceId),
        params.status ? eq(campaignArchives.status, params.status) : undefined,
        before(campaignArchives.requestedAt, campaignArchives.id, params.after),
      ),
    )
    .orderBy(desc(campaignArchives.requestedAt), desc(campaignArchives.id))
    .limit(params.limit);
}

/**
 * Finished or cancelled campaigns that ended before `endedBefore` and were never archived: what
 * the daily plan archives. A campaign restored on demand keeps its `restored` archive row and is
 * not taken again by the schedule (only by an explicit request), so a restore is not undone the
 * next night. Ordered oldest first, so a capped plan works through the backlog in order.
 */
export async function listCampaignsDueForArchive(db: Db, params: { endedBefore: Date; limit: number }): Promise<{ workspaceId: string; campaignId: string }[]> {
  const result = await db.execute(sql`
    select c.workspace_id, c.id
    from ${campaigns} c
    where c.status in ('sent', 'failed', 'cancelled')
      and coalesce(c.finished_at, c.updated_at) < ${params.endedBefore.toISOString()}::timestamptz
      and not exists (select 1 from ${campaignArchives} a where a.campaign_id = c.id)
    order by coalesce(c.finished_at, c.updated_at), c.id
    limit ${params.limit}`);
  return rowsOf<{ workspace_id: string; id: string }>(result).map((row) => ({ workspaceId: row.workspace_id, campaignId: row.id }));
}

export type ArchiveClaim = { ok: true; archive: CampaignArchive; created: boolean } | { ok: false; reason: "campaign_state" | "archive_state"; status: string };

/**
 * Records (or re-opens) the campaign's archive in `archiving`, in one statement guarded by the
 * campaign's status: a campaign that may still send is refused, and so is one whose archive is
 * under way or holds rows already moved (`archived`, `restoring`, or `failed` after its files were
 * verified: deleting may have begun, so only a restore may follow). A `restored` archive, or one
 * that failed before anything was deleted, starts again from scratch.
 */
export async function claimArchive(
  db: Db,
  params: { workspaceId: string; campaignId: string; requestedBy: string; now: Date; storagePrefix: (archiveId: string) => string },
): Promise<ArchiveClaim> {
  return db.transaction(async (tx) => {
    const [campaign] = await tx
      .select({ status: campaigns.status })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId)))
      .for("update");
    if (!campaign || !(ARCHIVABLE_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status)) {
      return { ok: false, reason: "campaign_state", status: campaign?.status ?? "missing" };
    }
    const [existing] = await tx.select().from(campaignArchives).where(eq(campaignArchives.campaignId, params.campaignId)).for("update");
    if (existing) {
      const verified = Boolean((existing.manifest as { verifiedAt?: string } | null)?.verifiedAt);
      const reopenable = existing.status === "restored" || (existing.status === "failed" && !verified);
      if (!reopenable) return { ok: false, reason: "archive_state", status: existing.status };
      const [row] = await tx
        .update(campaignArchives)
        .set({ status: "archiving", requestedBy: params.requestedBy, requestedAt: params.now, manifest: null, archivedAt: null, restoredAt: null, error: null, storagePrefix: params.storagePrefix(existing.id) })
        .where(eq(campaignArchives.id, existing.id))
        .returning();
      return { ok: true, archive: row!, created: false };
    }
    const id = crypto.randomUUID();
    const [row] = await tx
      .insert(campaignArchives)
      .values({ id, workspaceId: params.workspaceId, campaignId: params.campaignId, status: "archiving", requestedBy: params.requestedBy, requestedAt: params.now, storagePrefix: params.storagePrefix(id) })
      .returning();
    return { ok: true, archive: row!, created: true };
  });
}

/** Moves an archive between states only from the one expected: of two callers, one wins. */
export async function transitionArchive(
  db: Db,
  params: { archiveId: string; from: ArchiveStatus[]; to: ArchiveStatus; set?: Partial<Pick<CampaignArchive, "archivedAt" | "restoredAt" | "error" | "requestedAt" | "requestedBy">> },
): Promise<CampaignArchive | undefined> {
  const [row] = await db
    .update(campaignArchives)
    .set({ status: params.to, ...params.set })
    .where(and(eq(campaignArchives.id, params.archiveId), inArray(campaignArchives.status, params.from)))
    .returning();
  return row;
}

export async function saveArchiveManifest(db: Db, params: { archiveId: string; manifest: Record<string, unknown> }): Promise<void> {
  await db.update(campaignArchives).set({ manifest: params.manifest }).where(eq(campaignArchives.id, params.archiveId));
}

export async function failArchive(db: Db, params: { archiveId: string; error: string }): Promise<void> {
  await db
    .update(campaignArchives)
    .set({ status: "failed", error: params.error })
    .where(and(eq(campaignArchives.id, params.archiveId), inArray(campaignArchives.status, ["archiving", "failed"])));
}

/** A restore that failed leaves the archive as it was: still archived, its files intact, with the reason. */
export async function failRestore(db: Db, params: { archiveId: string; error: string }): Promise<void> {
  await db
    .update(campaignArchives)
    .set({ status: "archived", error: params.error })
    .where(and(eq(campaignArchives.id, params.archiveId), eq(campaignArchives.status, "restoring")));
}

/**
 * Indexes every contact the archive holds rows of (recipients, messages, events), read from the
 * rows before they are deleted; idempotent (a re-run adds nothing).
 */
export async function indexArchiveContacts(db: Db, params: { archiveId: string; workspaceId: string; campaignId: string }): Promise<number> {
  const result = await db.execute(sql`
    insert into ${archiveContacts} (archive_id, contact_id)
    select ${params.archiveId}::uuid, contact_id from (
      select contact_id from campaign_recipients where campaign_id = ${params.campaignId}::uuid
      union
      select contact_id from messages where workspace_id = ${params.workspaceId}::uuid and campaign_id = ${params.campaignId}::uuid and contact_id is not null
      union
      select contact_id from engagement_events where workspace_id = ${params.workspaceId}::uuid and campaign_id = ${params.campaignId}::uuid and contact_id is not null
    ) held
    on conflict do nothing
    returning 1`);
  return rowsOf(result).length;
}

export async function clearArchiveContacts(db: Db, params: { archiveId: string }): Promise<void> {
  await db.delete(archiveContacts).where(eq(archiveContacts.archiveId, params.archiveId));
}

/** The workspace's archives that hold rows of the contact, as the index says. */
export async function archivesHoldingContact(db: Db, params: { workspaceId: string; contactId: string }): Promise<CampaignArchive[]> {
  return db
    .select({ archive: campaignArchives })
    .from(archiveContacts)
    .innerJoin(campaignArchives, eq(campaignArchives.id, archiveContacts.archiveId))
    .where(and(eq(campaignArchives.workspaceId, params.workspaceId), eq(archiveContacts.contactId, params.contactId)))
    .then((rows) => rows.map((row) => row.archive));
}

export async function removeArchiveContact(db: Db, params: { archiveId: string; contactId: string }): Promise<void> {
  await db.delete(archiveContacts).where(and(eq(archiveContacts.archiveId, params.archiveId), eq(archiveContacts.contactId, params.contactId)));
}

export async function archiveContactIds(db: Db, params: { archiveId: string }): Promise<string[]> {
  const rows = await db.select({ contactId: archiveContacts.contactId }).from(archiveContacts).where(eq(archiveContacts.archiveId, params.archiveId));
  return rows.map((row) => row.contactId);
}

/** Archives still `archiving` that were asked for before `requestedBefore`: their run never started or died with its event. */
export async function listStalledArchives(db: Db, params: { requestedBefore: Date; limit: number }): Promise<CampaignArchive[]> {
  return db
    .select()
    .from(campaignArchives)
    .where(and(eq(campaignArchives.status, "archiving"), sql`${campaignArchives.requestedAt} < ${params.requestedBefore.toISOString()}::timestamptz`))
    .orderBy(campaignArchives.requestedAt)
    .limit(params.limit);
}
