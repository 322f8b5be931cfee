import type { CampaignArchive } from "@/db/queries/campaign-archives";
import { asManifest, manifestBytes, manifestRows } from "./archive-manifest";

/** Said wherever a list of an archived campaign's rows would be: they are in the archive, the numbers are not. */
export const ARCHIVED_ROWS_NOTE =
  "This campaign is archived: its recipients, messages and events are in cold storage (restore it to list them). Its stats still come from the rollups, and its recipient counts from the archive's manifest.";

/** Whether the campaign's rows are (or may partly be) in cold storage rather than the database. */
export const rowsInArchive = (archive: Pick<CampaignArchive, "status" | "manifest"> | undefined | null): boolean =>
  Boolean(archive && archive.status !== "restored" && asManifest(archive.manifest)?.verifiedAt);

/** An archive as lists show it. */
export function archiveView(archive: CampaignArchive) {
  const manifest = asManifest(archive.manifest);
  return {
    id: archive.id,
    campaignId: archive.campaignId,
    status: archive.status,
    requestedBy: archive.requestedBy,
    requestedAt: archive.requestedAt.toISOString(),
    archivedAt: archive.archivedAt?.toISOString() ?? null,
    restoredAt: archive.restoredAt?.toISOString() ?? null,
    rows: manifest ? manifestRows(manifest) : 0,
    bytes: manifest ? manifestBytes(manifest) : 0,
    error: archive.error,
  };
}

/** One archive with its manifest (files, rows, bytes and checksums). */
export function archiveDetailView(archive: CampaignArchive) {
  return { ...archiveView(archive), manifest: asManifest(archive.manifest) };
}

/** What a campaign says about its archive (null: never archived). */
export function campaignArchiveState(archive: CampaignArchive | undefined | null) {
  if (!archive) return null;
  return { id: archive.id, status: archive.status, archivedAt: archive.archivedAt?.toISOString() ?? null, restoredAt: archive.restoredAt?.toISOString() ?? null, rowsInArchive: rowsInArchive(archive) };
}

/**
 * What the campaign page's archive panel shows and offers: Archive when the campaign is finished
 * and has no archive (or one restored, or failed before any row moved); Restore when its rows are
 * in cold storage.
 */
export function archivePanelView(archive: CampaignArchive | undefined | null) {
  if (!archive) return null;
  const manifest = asManifest(archive.manifest);
  const verified = Boolean(manifest?.verifiedAt);
  return {
    id: archive.id,
    status: archive.status,
    archivedAt: archive.archivedAt?.toISOString() ?? null,
    restoredAt: archive.restoredAt?.toISOString() ?? null,
    rows: manifest ? manifestRows(manifest) : 0,
    bytes: manifest ? manifestBytes(manifest) : 0,
    files: manifest?.files.length ?? 0,
    error: archive.error,
    canArchive: archive.status === "restored" || (archive.status === "failed" && !verified),
    canRestore: archive.status === "archived" || (archive.status === "failed" && verified),
  };
}
