import { NonRetriableError } from "inngest";
import { getDatabase } from "@/db";
import { completeDataExport, failDataExport, getDataExport, setDataExportProgress, startDataExport } from "@/db/queries/data-exports";
import { inngest } from "@/inngest/client";
import { deliveryEvent } from "@/inngest/delivery-event";
import { exportRequested } from "@/inngest/events";
import { deliveryPath } from "@/lib/delivery/delivery-rules";
import { PublicError, publicErrorMessage } from "@/lib/errors/public-error-message";
import { assembleExport, deleteExportParts, deleteFailedExportFiles, planExport, scopeOf, writeExportChunk } from "@/lib/exports/build-export";
import { recordExportEmail } from "@/lib/exports/export-email";
import { exportExpiry } from "@/lib/exports/export-link";
import { reportExport } from "@/lib/exports/report-export";
import { createFileStorage } from "@/lib/storage/create-file-storage";

/** Exports one workspace may build at once: a second request waits rather than doubling the load. */
export const EXPORTS_PER_WORKSPACE = 1;
export const EXPORT_RETRIES = 4;

/**
 * Builds a data export: counts every file's rows (the progress' total), writes each file in
 * chunks, one step per chunk (a keyset cursor between them; outputs carry counts and cursors,
 * never rows), each chunk a JSONL and a CSV part in file storage; then streams the parts into
 * one deflated zip with a manifest (rows and SHA-256 per file), records its size, checksum and
 * expiry, deletes the parts and emails the signed link. After its retries, the export is marked
 * failed with a reason a person can read, the requester is told, and its partial files go.
 */
export const buildExport = inngest.createFunction(
  {
    id: "build-export",
    triggers: [exportRequested],
    concurrency: { key: "event.data.workspaceId", limit: EXPORTS_PER_WORKSPACE },
    retries: EXPORT_RETRIES,
    onFailure: async ({ event, error, step }) => {
      const ids = event.data.event.data;
      const failed = await step.run("mark-export-failed", async () => {
        const { db } = await getDatabase();
        const row = await failDataExport(db, { ...ids, error: `The export could not be built: ${publicErrorMessage(error, { where: "build-export", ...ids })}`, finishedAt: new Date() });
        if (!row) return null;
        reportExport(row);
        const message = await recordExportEmail(db, row);
        return message ? { message, path: await deliveryPath(db, message, false) } : null;
      });
      if (failed) await step.sendEvent("send-failure-email", deliveryEvent(failed.path, { ...failed.message }));
      await step.run("delete-partial-files", async () => {
        const { db } = await getDatabase();
        const row = await getDataExport(db, ids);
        return row?.status === "failed" ? { deleted: await deleteFailedExportFiles(db, createFileStorage(), { ...ids, subject: row.subject, contactId: row.contactId }) } : { deleted: 0 };
      });
    },
  },
  async ({ event, step }) => {
    const ids = { workspaceId: event.data.workspaceId, exportId: event.data.exportId };
    const plan = await step.run("plan-export", async () => {
      const { db } = await getDatabase();
      const row = await getDataExport(db, ids);
      if (!row || (row.status !== "queued" && row.status !== "running")) return null;
      const planned = await planExport(db, row.subject, scopeOf(row));
      if (row.subject === "contact" && planned.files[0]!.rows === 0) {
        const reason = "the contact no longer exists, or its erasure was requested";
        throw new NonRetriableError(reason, { cause: new PublicError(reason) });
      }
      return (await startDataExport(db, { ...ids, rowsTotal: planned.total })) ? { subject: row.subject, contactId: row.contactId, ...planned } : null;
    });
    if (!plan) return { skipped: "no queued export with this id in this workspace" };

    const scope = scopeOf({ workspaceId: ids.workspaceId, subject: plan.subject, contactId: plan.contactId });
    const written: { file: (typeof plan.files)[number]["file"]; rows: number; chunks: number }[] = [];
    let rowsDone = 0;
    for (const [fileIndex, { file }] of plan.files.entries()) {
      let cursor: string | null = null;
      let chunk = 0;
      let rows = 0;
      for (;;) {
        const done: number = rowsDone;
        const from: string | null = cursor;
        const part = await step.run(`write-${file.replaceAll("_", "-")}-${chunk}`, async () => {
          const { db } = await getDatabase();
          const result = await writeExportChunk(db, createFileStorage(), { ...ids, scope, file, fileIndex, chunk, cursor: from, chunkRows: plan.chunkRows });
          await setDataExportProgress(db, { ...ids, rowsDone: done + result.rows });
          return result;
        });
        rows += part.rows;
        rowsDone += part.rows;
        cursor = part.cursor;
        chunk++;
        if (part.done) break;
      }
      written.push({ file, rows, chunks: chunk });
    }

    const ready = await step.run("assemble-zip", async () => {
      const { db } = await getDatabase();
      const storage = createFileStorage();
      const current = await getDataExport(db, ids);
      // A retried step that already finished: the zip is stored and the parts are gone.
      if (current?.status === "ready") return { bytes: current.bytes, rows: current.rowsDone };
      const { stored } = await assembleExport(storage, { ...ids, subject: plan.subject, contactId: plan.contactId, files: written, generatedAt: new Date() });
      const finishedAt = new Date();
      const row = await completeDataExport(db, { ...ids, storageKey: stored.key, bytes: stored.bytes, sha256: stored.sha256, rowsDone, finishedAt, expiresAt: exportExpiry(finishedAt) });
      if (!row) {
        await storage.delete(stored.key);
        const reason = "the export was no longer running when its zip was finished";
        throw new NonRetriableError(reason, { cause: new PublicError(reason) });
      }
      await deleteExportParts(storage, ids, written);
      reportExport(row);
      return { bytes: row.bytes, rows: row.rowsDone };
    });

    const email = await step.run("record-ready-email", async () => {
      const { db } = await getDatabase();
      const row = await getDataExport(db, ids);
      const message = row ? await recordExportEmail(db, row) : null;
      return message ? { message, path: await deliveryPath(db, message, false) } : null;
    });
    if (email) await step.sendEvent("send-ready-email", deliveryEvent(email.path, { ...email.message }));
    return { ...ids, ...ready, emailed: Boolean(email) };
  },
);
