/**
 * One measurement in its own process, so each has its own peak RSS. run.ts bundles this file
 * (esbuild, packages left in node_modules) and runs the bundle with plain node:
 *   worker.mjs copy|import <postgres|pglite> <csv path> <postgres url | pglite dir> [chunk rows]
 * Prints one `BENCH_RESULT {json}` line on stdout.
 *
 * `import` is the app as production runs it: it stores the upload and records the import
 * (createImport, as the upload route does), then hosts the app's real serve() route on a
 * loopback HTTP server and prints `BENCH_READY {port, url, workspaceId, importId, rssMb}`. run.ts's
 * local engine then syncs that route and drives the import-contacts run through it, as Inngest
 * Cloud would call a Vercel function; so this process's RSS is the app's, nothing else's. When
 * the run has ended, run.ts writes `BENCH_FINISH {functionSeconds}` to stdin; the worker reads
 * the final counts from the database and prints its result.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { rssSampler } from "@/bench/bench-worker";
import { contacts } from "@/db/schema";

export type WorkerResult = {
  task: "copy" | "import";
  seconds: number;
  rows: number;
  maxRssMb: number;
  sampledPeakRssMb: number;
  counts?: { status: string; total: number; processed: number; inserted: number; updated: number; skipped: number; failed: number; contacts: number };
  /** import only: storing the upload (createImport); the run, from the engine taking the event to the run's end. */
  phases?: { storeSeconds: number; functionSeconds: number };
  /** import only: CPU time (user + system) the app's process spent from the upload to the run's end; unlike wall time, barely moved by other work on the machine. */
  appCpuSeconds?: number;
  /** copy only: COPY plus one INSERT … SELECT of the same rows into the real, indexed contacts table. */
  floorSeconds?: number;
  /** copy only: csv-parse alone over the same file (no validation, no writes), the importer's own parser. */
  parseSeconds?: number;
};

const RAW_TABLE = `CREATE TABLE contacts_raw (email text, phone text, first_name text, last_name text, timezone text, birthday text, plan text, company text)`;
const RAW_COPY = `COPY contacts_raw FROM STDIN (FORMAT csv, HEADER)`;
// The least work any import must do after the COPY: write the rows into the real contacts table
// with its keys and indexes (no validation, no reporting, no resume), rolled back afterwards.
const FLOOR_INSERT = `
  INSERT INTO contacts (workspace_id, email, phone, first_name, last_name, timezone, attributes)
  SELECT $1::uuid, lower(email), CASE WHEN phone LIKE '+%' THEN phone END, first_name, last_name,
         nullif(timezone, ''), jsonb_build_object('plan', plan, 'company', company)
  FROM contacts_raw ON CONFLICT DO NOTHING`;

/** Times FLOOR_INSERT on the migrated schema of the same database, inside a transaction it rolls back. */
async function floorInsert(options: { url: string } | { pgliteDir: string }): Promise<number> {
  const { openDatabase } = await import("@/db");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const database = openDatabase(options);
  try {
    await database.migrate();
    const { workspace } = await createWorkspace(database.db, { name: "Floor" });
    const started = performance.now();
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql.raw(FLOOR_INSERT.replace("$1", `'${workspace.id}'`)));
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    return (performance.now() - started) / 1000;
  } finally {
    await database.close();
  }
}
class Rollback extends Error {}

/**
 * The least reading any import of this file must do in this process: csv-parse (the parser
 * the importer uses) over every record, nothing else. Bounds the import/COPY ratio from the
 * other side than the write floor does.
 */
async function parseOnly(file: string): Promise<number> {
  const { parse } = await import("csv-parse");
  const started = performance.now();
  let records = 0;
  for await (const _record of fs.createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(parse({ relax_column_count: true }))) records++;
  if (records === 0) throw new Error("csv-parse read no records");
  return (performance.now() - started) / 1000;
}

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

async function copyPostgres(file: string, url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP TABLE IF EXISTS contacts_raw`);
    await sql.unsafe(RAW_TABLE);
    const started = performance.now();
    const writable = await sql.unsafe(RAW_COPY).writable();
    await new Promise<void>((resolve, reject) => {
      const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      input.on("error", reject);
      writable.on("error", reject);
      writable.on("finish", resolve);
      input.pipe(writable);
    });
    const seconds = (performance.now() - started) / 1000;
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM contacts_raw`;
    return { seconds, rows: row!.n, floorSeconds: seconds + (await floorInsert({ url })), parseSeconds: await parseOnly(file) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function copyPglite(file: string, dir: string) {
  const pglite = new PGlite(dir);
  try {
    await pglite.exec(RAW_TABLE);
    const started = performance.now();
    // A file-backed Blob: PGlite reads it when the COPY runs, not before.
    const blob = await fs.openAsBlob(file);
    await pglite.query(`COPY contacts_raw FROM '/dev/blob' (FORMAT csv, HEADER)`, [], { blob });
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts_raw`);
    await pglite.close();
    return { seconds, rows: rows[0]!.n, floorSeconds: seconds + (await floorInsert({ pgliteDir: dir })), parseSeconds: await parseOnly(file) };
  } finally {
    if (!pglite.closed) await pglite.close();
  }
}

/** The parent's word that the run has ended: one JSON line on stdin, or stdin closed without one. */
async function finishSignal(): Promise<{ functionSeconds: number }> {
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk as string;
  const line = text.split("\n").find((l) => l.startsWith("BENCH_FINISH "));
  if (!line) throw new Error("stdin closed before BENCH_FINISH: the parent gave up");
  return JSON.parse(line.slice("BENCH_FINISH ".length)) as { functionSeconds: number };
}

async function importFile(target: string, file: string, where: string, chunkRows: number | undefined) {
  // Local file storage in a throwaway directory. INNGEST_DEV (set by run.ts) points the client's
  // events at run.ts's event sink, which counts the events it sends by name; INNGEST_API_BASE_URL
  // (also run.ts) sends its API calls (step checkpoints) to the engine.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-files-"));
  process.env.SENDLINE_DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  const { openDatabase, setDatabase } = await import("@/db");
  const { getImport } = await import("@/db/queries/imports");
  const { createImport } = await import("@/lib/imports/create-import");
  const { createFileStorage } = await import("@/lib/storage/create-file-storage");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const route = await import("@/app/api/inngest/route");
  const { serveApp } = await import("@/bench/serve-app");

  const database = target === "postgres" ? openDatabase({ url: where }) : openDatabase({ pgliteDir: where });
  let app: Awaited<ReturnType<typeof serveApp>> | undefined;
  try {
    await database.migrate();
    setDatabase(database);
    const { workspace } = await createWorkspace(database.db, { name: "Import benchmark" });

    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    // What the upload route does: stream the body into storage and record the import.
    const { row } = await createImport(database.db, createFileStorage(), {
      workspaceId: workspace.id,
      body: fs.createReadStream(file),
      fileName: path.basename(file),
      mode: "upsert",
      listId: null,
      mapping: {},
      sheetName: null,
      chunkRows,
    });
    const storeSeconds = (performance.now() - started) / 1000;

    // Then the app's serve() route over HTTP: run.ts's engine syncs it, sends the
    // import/contacts.requested event and drives the import-contacts run through it.
    app = await serveApp(route, { path: "/api/inngest" });
    const ready = { port: app.port, url: app.url, workspaceId: workspace.id, importId: row.id, rssMb: mb(process.memoryUsage.rss()) };
    process.stdout.write(`BENCH_READY ${JSON.stringify(ready)}\n`);
    const { functionSeconds } = await finishSignal();
    const cpu = process.cpuUsage(cpuAtStart);

    const done = (await getImport(database.db, { workspaceId: workspace.id, importId: row.id }))!;
    const [counted] = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspace.id));
    const contacts_ = counted!.n;
    return {
      seconds: storeSeconds + functionSeconds,
      rows: done.total ?? 0,
      counts: {
        status: done.status,
        total: done.total ?? 0,
        processed: done.processed,
        inserted: done.inserted,
        updated: done.updated,
        skipped: done.skipped,
        failed: done.failed,
        contacts: contacts_,
      },
      phases: { storeSeconds, functionSeconds },
      appCpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    await app?.close();
    setDatabase(undefined);
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const [task, target, file, where, chunk] = process.argv.slice(2);
  if (!task || !target || !file || !where) throw new Error("usage: worker.ts copy|import postgres|pglite <csv> <url|dir> [chunkRows]");
  const sampler = rssSampler();
  let outcome: Omit<WorkerResult, "task" | "maxRssMb" | "sampledPeakRssMb">;
  if (task === "copy") outcome = target === "postgres" ? await copyPostgres(file, where) : await copyPglite(file, where);
  else if (task === "import") outcome = await importFile(target, file, where, chunk ? Number(chunk) : undefined);
  else throw new Error(`unknown task ${task}`);
  const result: WorkerResult = { task, ...outcome, ...sampler.stop() };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
