import type { Db } from "@/db";
import { ARCHIVED_TABLES, type ArchivedTable, countArchivedRows, deleteArchivedRowChunk, keysOfArchivedLines, readArchivedRowChunk } from "@/db/queries/archived-rows";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { ARCHIVABLE_CAMPAIGN_STATUSES, type CampaignArchive, getArchive, indexArchiveContacts, saveArchiveManifest, transitionArchive } from "@/db/queries/campaign-archives";
import { liveCampaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { schemaVersion } from "@/db/queries/schema-version";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { FileExistsError } from "@/lib/storage/storage-error";
import { type ArchiveFile, archiveFileKey, readStoredPart, readVerifiedLines, writeJsonlGzip, writeManifestFile } from "./archive-files";
import { ARCHIVE_FORMAT, type ArchiveManifest, asManifest, lastKeys, manifestBytes, manifestRows, tableTotals } from "./archive-manifest";

/** A problem a retry cannot fix: the function stops and the archive is marked failed with this message. */
export class ArchiveRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArchiveRefusedError";
  }
}

type Ids = { workspaceId: string; archiveId: string };

/**
 * Loads an archive in `archiving` and the campaign it moves, re-checked from the database (the
 * event's workspace is not trusted alone), and starts the manifest: who, when, the schema
 * version and the campaign's recipient counts as they stand before anything moves.
 */
export async function startArchive(db: Db, ids: Ids, now: Date): Promise<{ archive: Pick<CampaignArchive, "id" | "workspaceId" | "campaignId" | "storagePrefix">; manifest: ArchiveManifest } | null> {
  const archive = await getArchive(db, ids);
  if (!archive || archive.status !== "archiving" || !archive.storagePrefix) return null;
  // A run that died without its failure handler may have begun deleting: its files are the only copy now.
  if (asManifest(archive.manifest)?.verifiedAt) throw new ArchiveRefusedError("this archive's files were verified by an earlier run and its rows may be partly deleted: restore it, then archive again");
  const campaign = await getCampaign(db, { workspaceId: archive.workspaceId, campaignId: archive.campaignId });
  if (!campaign || !(ARCHIVABLE_CAMPAIGN_STATUSES as readonly string[]).includes(campaign.status)) {
    throw new ArchiveRefusedError(`campaign ${archive.campaignId} is ${campaign?.status ?? "gone"}: only sent, failed or cancelled campaigns are archived`);
  }
  const progress = await liveCampaignProgress(db, { campaignId: campaign.id });
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    archiveId: archive.id,
    workspaceId: archive.workspaceId,
    campaignId: archive.campaignId,
    schemaVersion: (await schemaVersion(db)).applied,
    createdAt: now.toISOString(),
    progress: { audience: progress.audience, sent: progress.sent, suppressed: progress.suppressed, failed: progress.failed },
    files: [],
    tables: tableTotals([]),
    verifiedAt: null,
    scrubs: [],
  };
  await saveArchiveManifest(db, { archiveId: archive.id, manifest });
  return { archive: { id: archive.id, workspaceId: archive.workspaceId, campaignId: archive.campaignId, storagePrefix: archive.storagePrefix }, manifest };
}

/**
 * Writes the next part of one table: up to `limit` rows after `afterKey`, to a key named by the
 * part's number. Parts are write-once: the first write of a key wins and any later one (a retry
 * whose answer was lost, or a duplicate execution still running after a crash, which may read the
 * table after the rows began to be deleted) adopts the file already there, described from its own
 * bytes. So a verified part is never replaced, and every execution agrees on what each part holds.
 * Returns null when the table has no rows left.
 */
export async function writeArchivePart(
  db: Db,
  storage: FileStorage,
  params: { workspaceId: string; campaignId: string; prefix: string; table: ArchivedTable; part: number; afterKey: string | null; limit: number },
): Promise<ArchiveFile | null> {
  const key = archiveFileKey(params.prefix, params.table, params.part);
  const adopt = async (): Promise<ArchiveFile | null> => {
    const stored = await readStoredPart(storage, key);
    if (!stored) return null;
    const { lines, ...sizes } = stored;
    const [firstKey = null, lastKey = null] = await keysOfArchivedLines(db, { table: params.table, lines: [lines[0]!, lines.at(-1)!] });
    return { table: params.table, part: params.part, revision: 0, key, rows: lines.length, ...sizes, firstKey, lastKey };
  };
  const existing = await adopt();
  if (existing) return existing;
  const chunk = await readArchivedRowChunk(db, { workspaceId: params.workspaceId, campaignId: params.campaignId, table: params.table, afterKey: params.afterKey, limit: params.limit });
  if (chunk.lines.length === 0) return null;
  try {
    const written = await writeJsonlGzip(storage, key, chunk.lines, { ifAbsent: true });
    metrics().archiveBytes.inc({ direction: "written" }, written.bytes);
    return { table: params.table, part: params.part, revision: 0, key, ...written, firstKey: chunk.firstKey, lastKey: chunk.lastKey };
  } catch (error) {
    if (!(error instanceof FileExistsError)) throw error;
    return (await adopt())!;
  }
}

/**
 * Reads every file back and checks it against what was written, then checks that the database
 * holds exactly as many of the campaign's rows (up to each table's last archived key) as the
 * files do. Only a manifest that passes is saved as verified, and only a verified manifest lets
 * rows be deleted.
 */
export async function verifyArchive(db: Db, storage: FileStorage, params: { prefix: string; manifest: ArchiveManifest; files: ArchiveFile[]; now: Date }): Promise<ArchiveManifest> {
  for (const file of params.files) await readVerifiedLines(storage, file);
  const scope = { workspaceId: params.manifest.workspaceId, campaignId: params.manifest.campaignId };
  const last = lastKeys(params.files);
  const tables = tableTotals(params.files);
  for (const table of ARCHIVED_TABLES) {
    const inDatabase = await countArchivedRows(db, { ...scope, table, upToKey: last[table] ?? null });
    if (inDatabase !== tables[table].rows) {
      throw new ArchiveRefusedError(`${table}: the database holds ${inDatabase} of the campaign's rows up to the last archived key, the files ${tables[table].rows}; nothing was deleted`);
    }
  }
  const manifest: ArchiveManifest = { ...params.manifest, files: params.files, tables, verifiedAt: params.now.toISOString() };
  await writeManifestFile(storage, params.prefix, manifest);
  await saveArchiveManifest(db, { archiveId: manifest.archiveId, manifest });
  await indexArchiveContacts(db, { archiveId: manifest.archiveId, ...scope });
  return manifest;
}

/** Deletes the next chunk of one table's archived rows; 0 means the table is done. Requires the verified manifest. */
export async function deleteArchivedChunk(db: Db, params: { manifest: ArchiveManifest; table: ArchivedTable; limit: number }): Promise<number> {
  if (!params.manifest.verifiedAt) throw new ArchiveRefusedError("refusing to delete rows of an archive whose files were not verified");
  const upToKey = lastKeys(params.manifest.files)[params.table];
  if (upToKey === undefined) return 0;
  const deleted = await deleteArchivedRowChunk(db, { archiveId: params.manifest.archiveId, workspaceId: params.manifest.workspaceId, campaignId: params.manifest.campaignId, table: params.table, upToKey, limit: params.limit });
  metrics().archiveRows.inc({ table: params.table, direction: "archived" }, deleted);
  return deleted;
}

/** Marks the archive done and audits it (once: the conditional update decides). */
export async function finishArchive(db: Db, params: { manifest: ArchiveManifest; requestedBy: string; now: Date }): Promise<boolean> {
  const { manifest } = params;
  const row = await transitionArchive(db, { archiveId: manifest.archiveId, from: ["archiving"], to: "archived", set: { archivedAt: params.now, error: null } });
  if (!row) return false;
  const summary = { rows: manifestRows(manifest), bytes: manifestBytes(manifest), files: manifest.files.length, tables: manifest.tables };
  await insertAuditEntry(db, { workspaceId: manifest.workspaceId, actor: params.requestedBy, action: "campaign.archived", targetType: "campaign", targetId: manifest.campaignId, details: { archiveId: manifest.archiveId, ...summary } });
  metrics().archives.inc({ operation: "archive", outcome: "done" });
  logger.info({ workspaceId: manifest.workspaceId, campaignId: manifest.campaignId, archiveId: manifest.archiveId, rows: summary.rows, bytes: summary.bytes, files: summary.files }, "archives: campaign archived");
  return true;
}

/** After the last retry: the archive says why it failed (its rows are only deleted after verification, so a failure before then lost nothing). */
export function reportArchiveFailure(params: { workspaceId: string; archiveId: string; operation: "archive" | "restore"; error: string }): void {
  metrics().archives.inc({ operation: params.operation, outcome: "failed" });
  logger.error({ workspaceId: params.workspaceId, archiveId: params.archiveId, error: params.error }, `archives: ${params.operation} failed`);
}

/** The verified manifest of an archive, read back from its row. */
export async function loadManifest(db: Db, ids: Ids): Promise<{ archive: CampaignArchive; manifest: ArchiveManifest | null } | null> {
  const archive = await getArchive(db, ids);
  return archive ? { archive, manifest: asManifest(archive.manifest) } : null;
}
