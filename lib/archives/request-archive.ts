import type { Db } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { type CampaignArchive, claimArchive, getCampaignArchive, transitionArchive } from "@/db/queries/campaign-archives";
import { getCampaign } from "@/db/queries/campaigns";
import { archivePrefix } from "./archive-files";
import { asManifest } from "./archive-manifest";

/** What the caller sends next (lib returns events as data): the archive's id and when it was asked for, which names the event. */
export type ArchiveRequestOutcome =
  | { ok: true; archive: CampaignArchive; event: { workspaceId: string; archiveId: string; requestedAt: Date } }
  | { ok: false; status: 404 | 409; code: string; message: string };

/**
 * Records an archive of the campaign in `archiving` (see claimArchive for what refuses) and audits
 * the request. Used by the API, the dashboard and the daily plan.
 */
export async function requestArchive(db: Db, params: { workspaceId: string; campaignId: string; requestedBy: string; now: Date }): Promise<ArchiveRequestOutcome> {
  // The attempt is named by its request time: a failed archive asked again writes under a new folder.
  const attempt = params.now.getTime().toString(36);
  const claim = await claimArchive(db, { ...params, storagePrefix: (archiveId) => archivePrefix(params.workspaceId, archiveId, attempt) });
  if (!claim.ok) {
    if (claim.status === "missing") return { ok: false, status: 404, code: "not_found", message: "Campaign not found" };
    return claim.reason === "campaign_state"
      ? { ok: false, status: 409, code: "invalid_state", message: `Cannot archive a campaign that is ${claim.status}; only sent, failed or cancelled campaigns are archived` }
      : { ok: false, status: 409, code: "invalid_state", message: `The campaign's archive is ${claim.status}${claim.status === "failed" ? " after its rows began to move: restore it first" : ""}` };
  }
  if (params.requestedBy !== "schedule") {
    await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: params.requestedBy, action: "campaign.archive_requested", targetType: "campaign", targetId: params.campaignId, details: { archiveId: claim.archive.id } });
  }
  return { ok: true, archive: claim.archive, event: { workspaceId: params.workspaceId, archiveId: claim.archive.id, requestedAt: claim.archive.requestedAt } };
}

/**
 * Moves the campaign's archive to `restoring`: from `archived`, or from `failed` once its files were
 * verified (rows may already be gone, so the files are the way back). 404 without an archive.
 */
export async function requestRestore(db: Db, params: { workspaceId: string; campaignId: string; requestedBy: string; now: Date }): Promise<ArchiveRequestOutcome> {
  const campaign = await getCampaign(db, params);
  const archive = campaign ? await getCampaignArchive(db, params) : undefined;
  if (!campaign || !archive) return { ok: false, status: 404, code: "not_found", message: campaign ? "The campaign has no archive" : "Campaign not found" };
  const verified = Boolean(asManifest(archive.manifest)?.verifiedAt);
  const from = verified ? (["archived", "failed"] as const) : (["archived"] as const);
  const row = await transitionArchive(db, { archiveId: archive.id, from: [...from], to: "restoring", set: { requestedAt: params.now, requestedBy: params.requestedBy, error: null } });
  if (!row) return { ok: false, status: 409, code: "invalid_state", message: `Cannot restore an archive that is ${archive.status}; only an archived campaign is restored` };
  await insertAuditEntry(db, { workspaceId: params.workspaceId, actor: params.requestedBy, action: "campaign.restore_requested", targetType: "campaign", targetId: params.campaignId, details: { archiveId: row.id } });
  return { ok: true, archive: row, event: { workspaceId: params.workspaceId, archiveId: row.id, requestedAt: row.requestedAt } };
}
