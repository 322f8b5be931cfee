import type { Db } from "@/db";
import { ARCHIVED_TABLES, type ArchivedTable } from "@/db/queries/archived-rows";
import { archivesHoldingContact, removeArchiveContact, saveArchiveManifest } from "@/db/queries/campaign-archives";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import type { FileStorage } from "@/lib/storage/file-storage";
import { type ArchiveFile, archiveFileKey, readVerifiedLines, writeJsonlGzip, writeManifestFile } from "./archive-files";
import { type ArchiveManifest, asManifest, tableTotals } from "./archive-manifest";

export type ScrubResult = {
  /** Archives whose files no longer hold the contact's rows (the index rows are gone too). */
  archives: string[];
  /** Rows removed from the files, per table. */
  rows: Record<ArchivedTable, number>;
  /**
   * Archives the index lists but that are being written or restored right now: their rows are
   * moving, so scrubbing them is for after (the caller retries; an erasure step throws to retry).
   */
  busy: string[];
};

type Row = Record<string, unknown>;

/**
 * Removes one contact from every archive the index says holds their rows: their recipient rows,
 * their messages (by contact, and the messages their recipient rows point at), those messages'
 * attempts, outbox copies and engagement events, and any event carrying the contact's id. Each
 * changed file is written anew under the next revision's key, the manifest (rows, bytes, both
 * checksums) is saved, and only then are the old revisions deleted and the index rows removed:
 * a crash anywhere leaves the index pointing at the archive, so running it again finishes the
 * job (it also sweeps old revisions a crash left behind). The archive's recorded progress counts
 * are kept: they are the campaign's numbers, as the sealed metrics are.
 */
export async function scrubContactFromArchives(db: Db, storage: FileStorage, params: { workspaceId: string; contactId: string }): Promise<ScrubResult> {
  const result: ScrubResult = { archives: [], rows: Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, 0])) as Record<ArchivedTable, number>, busy: [] };
  for (const archive of await archivesHoldingContact(db, params)) {
    const manifest = asManifest(archive.manifest);
    if (archive.status === "archiving" || archive.status === "restoring") {
      result.busy.push(archive.id);
      continue;
    }
    if (manifest && archive.storagePrefix && (archive.status === "archived" || archive.status === "failed")) {
      const removed = await scrubArchive(db, storage, { manifest, prefix: archive.storagePrefix, contactId: params.contactId });
      for (const table of ARCHIVED_TABLES) result.rows[table] += removed[table];
    }
    await removeArchiveContact(db, { archiveId: archive.id, contactId: params.contactId });
    result.archives.push(archive.id);
  }
  const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
  for (const table of ARCHIVED_TABLES) metrics().archiveRows.inc({ table, direction: "scrubbed" }, result.rows[table]);
  if (result.archives.length > 0) {
    metrics().archives.inc({ operation: "scrub", outcome: "done" }, result.archives.length);
    logger.info({ workspaceId: params.workspaceId, archives: result.archives.length, rows: total, busy: result.busy.length }, "archives: contact scrubbed from archives");
  }
  return result;
}

async function scrubArchive(db: Db, storage: FileStorage, params: { manifest: ArchiveManifest; prefix: string; contactId: string }): Promise<Record<ArchivedTable, number>> {
  const { manifest, contactId } = params;
  const removed = Object.fromEntries(ARCHIVED_TABLES.map((table) => [table, 0])) as Record<ArchivedTable, number>;
  const byTable = (table: ArchivedTable) => manifest.files.filter((file) => file.table === table);

  // The contact's messages first: the other tables' rows are theirs by message id.
  const messageIds = new Set<string>();
  for (const file of byTable("campaign_recipients")) {
    for (const line of await readVerifiedLines(storage, file)) {
      const row = JSON.parse(line) as Row;
      if (row.contact_id === contactId && typeof row.message_id === "string") messageIds.add(row.message_id);
    }
  }
  for (const file of byTable("messages")) {
    for (const line of await readVerifiedLines(storage, file)) {
      const row = JSON.parse(line) as Row;
      if (row.contact_id === contactId) messageIds.add(String(row.id));
    }
  }
  const belongs: Record<ArchivedTable, (row: Row) => boolean> = {
    messages: (row) => messageIds.has(String(row.id)),
    message_attempts: (row) => messageIds.has(String(row.message_id)),
    outbox_messages: (row) => typeof row.message_id === "string" && messageIds.has(row.message_id),
    campaign_recipients: (row) => row.contact_id === contactId,
    engagement_events: (row) => row.contact_id === contactId || (typeof row.message_id === "string" && messageIds.has(row.message_id)),
  };

  const files: ArchiveFile[] = [];
  const superseded: string[] = [];
  for (const file of manifest.files) {
    const lines = await readVerifiedLines(storage, file);
    const kept = lines.filter((line) => !belongs[file.table](JSON.parse(line) as Row));
    if (kept.length === lines.length) {
      files.push(file);
      continue;
    }
    removed[file.table] += lines.length - kept.length;
    const revision = file.revision + 1;
    const key = archiveFileKey(params.prefix, file.table, file.part, revision);
    const written = await writeJsonlGzip(storage, key, kept);
    files.push({ ...file, revision, key, ...written });
    superseded.push(file.key);
  }

  if (superseded.length > 0) {
    const next: ArchiveManifest = {
      ...manifest,
      files,
      tables: tableTotals(files),
      scrubs: [...manifest.scrubs, { at: new Date().toISOString(), rows: Object.values(removed).reduce((sum, n) => sum + n, 0) }],
    };
    await saveArchiveManifest(db, { archiveId: manifest.archiveId, manifest: next });
    await writeManifestFile(storage, params.prefix, next);
  }
  // Every earlier revision of every part goes, including any a crashed run wrote or left behind.
  for (const file of files) {
    for (let revision = 0; revision < file.revision; revision += 1) await storage.delete(archiveFileKey(params.prefix, file.table, file.part, revision));
  }
  return removed;
}
