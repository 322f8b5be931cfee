import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getImport } from "@/db/queries/imports";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, generatedCsv } from "@/test/inngest/functions/imports/import-harness";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * Resume after a kill, end to end: the real upload route queues the import, the engine runs
 * import-contacts through the app's serve() route, the engine is stopped mid-import (as a
 * crash would), and a new engine on the same database finishes it with exact counts.
 */
const ROWS = 3_000;
const CHUNK_ROWS = 100;

let app: Awaited<ReturnType<typeof startAppEngine>>;
let importsRoute: typeof import("@/app/api/v1/imports/route");
let database: Database;
let apiKey: string;
let workspaceId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-import-e2e-"));

beforeAll(async () => {
  process.env.SENDLINE_DATA_DIR = dataDir;
  process.env.IMPORT_CHUNK_ROWS = String(CHUNK_ROWS);
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Resume" }));
  // Persistent engine state: the restart below must find the run where the first engine left it.
  app = await startAppEngine({ persistent: true });
  importsRoute = await import("@/app/api/v1/imports/route");
});
afterAll(async () => {
  delete process.env.IMPORT_CHUNK_ROWS;
  await app?.stop();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("import-contacts through the engine", () => {
  it("continues from the last committed chunk after the engine is killed mid-import", { timeout: 120_000 }, async () => {
    const form = new FormData();
    form.append("file", new Blob([generatedCsv(ROWS)], { type: "text/csv" }), "resume.csv");
    const response = await importsRoute.POST(
      new Request("http://localhost/api/v1/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(202);
    const { id: importId } = (await response.json()) as { id: string };
    const read = async () => (await getImport(database.db, { workspaceId, importId }))!;

    await waitFor(read, (row) => row.processed >= 2 * CHUNK_ROWS, 60_000);
    // Calls in flight are cut off after 50 ms; their chunk either committed or rolled back.
    await app.engine.stop(50);
    const atKill = await read();
    console.log(`engine stopped with ${atKill.processed} of ${ROWS} rows committed`);
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(ROWS);

    await app.restart();
    const done = await waitFor(read, (row) => row.status !== "running", 60_000);
    expect(done).toMatchObject({ status: "completed", total: ROWS, processed: ROWS, inserted: ROWS, updated: 0, skipped: 0, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(ROWS);
  });
});
