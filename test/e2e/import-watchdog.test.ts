import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getImport } from "@/db/queries/imports";
import { rowsOf } from "@/db/queries/rows-of";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, generatedCsv } from "@/test/inngest/functions/imports/import-harness";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * The event lost at start, end to end: an import posted while the engine knew no function yet
 * (the app had not synced) matches nothing and stays queued; syncing does not bring the event
 * back; the import watchdog's next pass does, and the import completes.
 */
const ROWS = 250;

let app: Awaited<ReturnType<typeof startAppEngine>>;
let importsRoute: typeof import("@/app/api/v1/imports/route");
let database: Database;
let apiKey: string;
let workspaceId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-import-watchdog-"));

beforeAll(async () => {
  process.env.SENDLINE_DATA_DIR = dataDir;
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Watchdog" }));
  app = await startAppEngine({ sync: false });
  importsRoute = await import("@/app/api/v1/imports/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Makes the engine's next firing of a cron function due now (what waiting for the schedule would do). */
async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}

describe("the import watchdog through the engine", () => {
  it("completes an import whose start event was sent before the app was synced", { timeout: 120_000 }, async () => {
    const form = new FormData();
    form.append("file", new Blob([generatedCsv(ROWS)], { type: "text/csv" }), "early.csv");
    const response = await importsRoute.POST(
      new Request("http://localhost/api/v1/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(202);
    const { id: importId } = (await response.json()) as { id: string };
    const read = async () => (await getImport(database.db, { workspaceId, importId }))!;

    // The engine stored the event, but no function existed to run.
    await waitFor(() => app.engine.listEvents(10, "import/contacts.requested"), (events) => events.length === 1);
    await app.engine.sync();
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Only the import's function matters here: a cron (the watchdog's own, every 2 minutes) may tick meanwhile.
    expect(await app.engine.listRuns({ fnId: "sendline-import-contacts" })).toEqual([]);
    expect(await read()).toMatchObject({ status: "queued", processed: 0 });

    // STUCK_IMPORT_MINUTES later (the row is aged rather than waited for), the watchdog runs.
    await database.db.execute(sql`update imports set updated_at = now() - interval '1 hour' where id = ${importId}::uuid`);
    await fireCronNow("watch-imports");

    const done = await waitFor(read, (row) => row.status !== "queued" && row.status !== "running", 60_000);
    expect(done).toMatchObject({ status: "completed", total: ROWS, processed: ROWS, inserted: ROWS, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(ROWS);
    const restarts = async () =>
      rowsOf<{ actor: string; action: string }>(
        await database.db.execute(sql`select actor, action from audit_log where target_id = ${importId} and action = 'import.restarted'`),
      );
    expect(await waitFor(restarts, (rows) => rows.length > 0)).toEqual([{ actor: "function:watch-imports", action: "import.restarted" }]);
  });
});

