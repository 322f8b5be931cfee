import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { importWatchdogSettings } from "@/lib/imports/import-watchdog-settings";
import { findStalledImports, recordRestarts, restartEvent } from "@/lib/imports/rescue-stalled-imports";
import { importChunk, inspectImport } from "@/lib/imports/run-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import {
  contactCount,
  createImportFrom,
  errorRows,
  generatedCsv,
  importRow,
  runImport,
  setUpImportTestFile,
} from "@/test/inngest/functions/imports/import-harness";

let database: Database;
await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");

const settings = importWatchdogSettings({ STUCK_IMPORT_MINUTES: "10" });

async function workspace(name: string) {
  return (await createWorkspace(database.db, { name })).workspace.id;
}

/** An import of `rows` generated contacts, as the upload route leaves it: queued, no run yet. */
async function queuedImport(workspaceId: string, rows = 3, chunkRows?: number) {
  const { row } = await createImportFrom(database, workspaceId, { name: `${workspaceId}.csv`, text: generatedCsv(rows, { domain: `${workspaceId.slice(0, 8)}.example` }) }, { chunkRows });
  return row.id;
}

async function set(importId: string, values: { status?: string; minutesAgo: number }) {
  await database.db.execute(sql`
    update imports set updated_at = now() - ${values.minutesAgo} * interval '1 minute',
      status = coalesce(${values.status ?? null}::import_status, status)
    where id = ${importId}::uuid`);
}

/** The stalled imports of one workspace: other tests' imports share the database. */
const stalledIn = async (workspaceId: string) => (await findStalledImports(database.db, settings)).filter((item) => item.workspaceId === workspaceId);

const audit = async (importId: string) =>
  rowsOf<{ actor: string; action: string; details: Record<string, unknown> }>(
    await database.db.execute(sql`select actor, action, details from audit_log where target_id = ${importId} order by id`),
  );

describe("the import watchdog", () => {
  it("restarts a stale queued import with exactly one event under a stable id; fresh and finished ones get none", async () => {
    const workspaceId = await workspace("stale");
    const stale = await queuedImport(workspaceId);
    await set(stale, { minutesAgo: 30 });
    const fresh = await queuedImport(workspaceId, 4);
    await set(fresh, { minutesAgo: 2 });
    for (const [rows, status] of [[5, "completed"], [6, "failed"], [7, "cancelled"]] as const) {
      await set(await queuedImport(workspaceId, rows), { status, minutesAgo: 60 });
    }

    const found = await stalledIn(workspaceId);
    expect(found).toEqual([{ workspaceId, importId: stale, status: "queued", stalledSince: expect.any(String) }]);
    const events = found.map(restartEvent);
    const stalledSinceMs = Date.parse(found[0]!.stalledSince);
    expect(events).toEqual([
      { id: `contact-import-${stale}-rescue-${stalledSinceMs}`, data: { workspaceId, importId: stale } },
    ]);
    // A retried pass sees the same stall and sends the same event id (Inngest drops the repeat).
    const again = (await stalledIn(workspaceId)).map(restartEvent);
    expect(again).toEqual(events);

    expect(await recordRestarts(database.db, found)).toBe(1);
    expect(await audit(stale)).toEqual([
      { actor: "function:watch-imports", action: "import.restarted", details: { status: "queued", stalledSince: found[0]!.stalledSince } },
    ]);
    // Recorded as progress: the next pass leaves it alone for another full period.
    expect(await stalledIn(workspaceId)).toEqual([]);
    // A retried recording finds the import already moved and logs nothing twice.
    expect(await recordRestarts(database.db, found)).toBe(0);
    expect(await audit(stale)).toHaveLength(1);
  });

  it("restarts a running import that stopped moving, but not one that is progressing", async () => {
    const workspaceId = await workspace("running");
    const stopped = await queuedImport(workspaceId);
    await set(stopped, { status: "running", minutesAgo: 45 });
    const moving = await queuedImport(workspaceId, 4);
    await set(moving, { status: "running", minutesAgo: 1 });
    expect((await stalledIn(workspaceId)).map((item) => [item.importId, item.status])).toEqual([[stopped, "running"]]);
  });

  it("leaves a queued import alone while its workspace's running import progresses: it is waiting its turn", async () => {
    const workspaceId = await workspace("waiting");
    const running = await queuedImport(workspaceId);
    await set(running, { status: "running", minutesAgo: 1 });
    const waiting = await queuedImport(workspaceId, 4);
    await set(waiting, { minutesAgo: 30 });
    expect(await stalledIn(workspaceId)).toEqual([]);

    // Once the running one stalls too, both are restarted (oldest first).
    await set(running, { minutesAgo: 20 });
    expect((await stalledIn(workspaceId)).map((item) => item.importId)).toEqual([waiting, running]);
  });

  it("does not record a restart for an import that moved after it was found", async () => {
    const workspaceId = await workspace("moved");
    const importId = await queuedImport(workspaceId);
    await set(importId, { minutesAgo: 30 });
    const found = await stalledIn(workspaceId);
    await set(importId, { status: "running", minutesAgo: 0 });
    expect(await recordRestarts(database.db, found)).toBe(0);
    expect(await audit(importId)).toEqual([]);
  });

  it("reads STUCK_IMPORT_MINUTES, and refuses a value that is not a positive number", () => {
    expect(importWatchdogSettings({})).toEqual({ stuckImportMinutes: 5 });
    expect(importWatchdogSettings({ STUCK_IMPORT_MINUTES: "2.5" })).toEqual({ stuckImportMinutes: 2.5 });
    expect(() => importWatchdogSettings({ STUCK_IMPORT_MINUTES: "0" })).toThrow(/STUCK_IMPORT_MINUTES/);
    expect(() => importWatchdogSettings({ STUCK_IMPORT_MINUTES: "soon" })).toThrow(/must be a number/);
  });
});

describe("a restarted import", () => {
  it("that had finished: the second run changes nothing", { timeout: 60_000 }, async () => {
    const workspaceId = await workspace("finished");
    const importId = await queuedImport(workspaceId, 40, 10);
    expect((await runImport(importContacts, workspaceId, importId)).error).toBeUndefined();
    const before = { row: await importRow(database, workspaceId, importId), contacts: await contactCount(database, workspaceId), report: await errorRows(database, importId) };
    expect(before.row).toMatchObject({ status: "completed", processed: 40, inserted: 40 });

    expect((await runImport(importContacts, workspaceId, importId)).error).toBeUndefined();
    expect(await importRow(database, workspaceId, importId)).toEqual(before.row);
    expect(await contactCount(database, workspaceId)).toBe(before.contacts);
    expect(await errorRows(database, importId)).toEqual(before.report);
  });

  it("that was part-way: the second run resumes at the committed cursor and writes no row twice", { timeout: 60_000 }, async () => {
    const workspaceId = await workspace("part-way");
    const importId = await queuedImport(workspaceId, 40, 10);
    const ids = { workspaceId, importId };
    // The first run inspected the file and committed two chunks, then was lost.
    const inspected = await inspectImport(database, createFileStorage(), ids);
    if (!("total" in inspected)) throw new Error("the import did not start");
    await importChunk(database, createFileStorage(), { ...ids, n: 0, inspected });
    await importChunk(database, createFileStorage(), { ...ids, n: 1, inspected });
    expect(await importRow(database, workspaceId, importId)).toMatchObject({ status: "running", processed: 20 });

    expect((await runImport(importContacts, workspaceId, importId)).error).toBeUndefined();
    expect(await importRow(database, workspaceId, importId)).toMatchObject({ status: "completed", total: 40, processed: 40, inserted: 40, skipped: 0, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(40);
    expect(await errorRows(database, importId)).toEqual([]);
  });
});
