import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getImport, type Import } from "@/db/queries/imports";
import { createEngine, type Engine } from "@/engine";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { dropDatabase, quietLogger, testDatabase } from "@/test/engine/harness";
import { contactCount, generatedCsv } from "@/test/inngest/functions/imports/import-harness";
import { useTestDatabase } from "@/test/support/database";

/**
 * Resume after a kill, end to end: the real upload route queues the import, the engine runs
 * import-contacts through the app's serve() route, the engine is stopped mid-import (as a
 * crash would), and a new engine on the same database finishes it with exact counts.
 */
const ROWS = 3_000;
const CHUNK_ROWS = 100;

type Routes = typeof import("@/app/api/inngest/route");
let inngestRoute: Routes;
let importsRoute: typeof import("@/app/api/v1/imports/route");
let engine: Engine;
let database: Database;
let apiKey: string;
let workspaceId: string;
let port: number;
const engineDatabase = testDatabase({ persistent: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-import-e2e-"));

/** The app's Inngest client keeps the URL it first saw, so both engines listen on one port. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const makeEngine = () =>
  createEngine({
    port,
    database: engineDatabase,
    appUrl: "http://127.0.0.1:3000/api/inngest",
    handler: (request) => inngestRoute[request.method as "GET" | "POST" | "PUT"](request as never, undefined as never),
    retryBaseMs: 200,
    logger: quietLogger,
  });

beforeAll(async () => {
  process.env.SENDLINE_DATA_DIR = dataDir;
  process.env.IMPORT_CHUNK_ROWS = String(CHUNK_ROWS);
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Resume" }));
  port = await freePort();
  engine = makeEngine();
  await engine.start();
  process.env.INNGEST_DEV = engine.url;
  inngestRoute = await import("@/app/api/inngest/route");
  importsRoute = await import("@/app/api/v1/imports/route");
  await engine.sync();
});
afterAll(async () => {
  delete process.env.IMPORT_CHUNK_ROWS;
  await engine?.stop();
  await dropDatabase(engineDatabase);
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if ("pgliteDir" in engineDatabase && engineDatabase.pgliteDir) fs.rmSync(engineDatabase.pgliteDir, { recursive: true, force: true });
});

async function waitFor(read: () => Promise<Import>, done: (row: Import) => boolean, timeoutMs = 60_000): Promise<Import> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await read();
    if (done(row)) return row;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify({ status: row.status, processed: row.processed })}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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

    await waitFor(read, (row) => row.processed >= 2 * CHUNK_ROWS);
    await engine.stop(50); // calls in flight are cut off; their chunk either committed or rolled back
    const atKill = await read();
    console.log(`engine stopped with ${atKill.processed} of ${ROWS} rows committed`);
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(ROWS);

    engine = makeEngine();
    await engine.start();
    const done = await waitFor(read, (row) => row.status !== "running");
    expect(done).toMatchObject({ status: "completed", total: ROWS, processed: ROWS, inserted: ROWS, updated: 0, skipped: 0, failed: 0 });
    expect(await contactCount(database, workspaceId)).toBe(ROWS);
  });
});
