/**
 * Import benchmark (DESIGN.md "Performance goals"): generates a CSV, then per target
 * (PostgreSQL, in-process PGlite) times a raw `COPY` of the file into a plain text table and
 * the real import, each in its own process, and prints rows/s, the ratio import/COPY and the
 * import's peak RSS. It also prints a "write floor": the COPY plus one INSERT … SELECT of the
 * same rows into the real contacts table, the least any import must do, which bounds the ratio
 * an import can reach; and a "parse floor": csv-parse alone over the file, the least reading an
 * import must do. A missed goal is reported, never an error: it's a benchmark, not a test.
 *
 * The import runs as in production. The worker (bundled with esbuild and run as plain JavaScript,
 * not through tsx) stores the upload and records the import
 * (createImport), then hosts the app's real serve() route on loopback HTTP. This process runs
 * the local engine (engine/, its store in the same database under the `inngest_engine` schema,
 * or its own PGlite directory for the PGlite target), syncs the route over HTTP, sends
 * import/contacts.requested and lets the engine drive the import-contacts run with HTTP calls,
 * as Inngest Cloud calls a Vercel function. The peak RSS reported is the worker's: the app's.
 * The app's events (one import/contacts.completed per import) go to a counting sink here (INNGEST_DEV), its API calls
 * (step checkpoints) to the engine (INNGEST_API_BASE_URL).
 *
 * The app's process runs with a V8 heap of --heap-mb (default 128 MB, what a function with
 * 256 MB of memory can give its heap; 0 = V8's default, which on a large machine lets garbage
 * pile up to gigabytes before collecting it). The import finishing at all under the cap shows
 * its working set fits; the peak RSS then says what the whole process needed.
 *
 *   npm run bench:import -- [--rows 1000000] [--targets postgres,pglite] [--chunk-rows 10000] [--heap-mb 128] [--csv path] [--cpu-prof-dir dir]
 * Env: BENCH_ROWS, BENCH_TARGETS, BENCH_CHUNK_ROWS, BENCH_HEAP_MB, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { bundleWorker, spawnWorker } from "@/bench/bench-worker";
import { createEngine, type Engine, type RunRow } from "@/engine";
import type { DatabaseOption } from "@/engine/store/sql";
import { contactImportRequested } from "@/inngest/events";
import { freePort } from "@/test/support/free-port";
import { startEventSink } from "./event-sink";
import { type GeneratedCsv, generateCsv } from "./generate-csv";
import type { WorkerResult } from "./worker";

type Target = "postgres" | "pglite";

const GOAL_RATIO = 0.5;
const GOAL_RSS_MB = 256;
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");
let WORKER_BUNDLE = "";

const { values: flags } = parseArgs({
  options: {
    rows: { type: "string" },
    targets: { type: "string" },
    "chunk-rows": { type: "string" },
    "heap-mb": { type: "string" },
    csv: { type: "string" },
    "cpu-prof-dir": { type: "string" },
  },
});

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  const value = Number(text.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

const rows = positiveInt(flags.rows ?? process.env.BENCH_ROWS, "--rows") ?? 1_000_000;
const chunkRows = positiveInt(flags["chunk-rows"] ?? process.env.BENCH_CHUNK_ROWS, "--chunk-rows");
const heapText = flags["heap-mb"] ?? process.env.BENCH_HEAP_MB ?? "128";
const heapMb = heapText === "0" ? null : positiveInt(heapText, "--heap-mb")!;
const targets = (flags.targets ?? process.env.BENCH_TARGETS ?? "postgres,pglite").split(",").map((t) => t.trim()).filter(Boolean) as Target[];
for (const target of targets) if (target !== "postgres" && target !== "pglite") throw new Error(`unknown target ${target} (postgres, pglite)`);
/** Where the app's process writes a V8 CPU profile of the import (open it in Chrome's DevTools), if anywhere. */
const cpuProfDir = flags["cpu-prof-dir"];
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A worker's result; for the import also its RSS once the app was loaded and listening, before the run. */
type Measured = WorkerResult & { processSeconds: number; readyRssMb?: number };

function startWorker(args: string[], env: NodeJS.ProcessEnv, nodeOptions: string[] = []) {
  return spawnWorker<WorkerResult>(WORKER_BUNDLE, args, env, nodeOptions);
}

async function runWorker(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const worker = startWorker(args, env);
  worker.child.stdin.end();
  return worker.result();
}

/**
 * The import: the worker hosts the app's serve() route; a local engine here, with its store in
 * `engineDatabase`, syncs it over HTTP and runs import-contacts to the end through it.
 */
async function runImport(args: string[], env: NodeJS.ProcessEnv, engineDatabase: DatabaseOption): Promise<Measured> {
  const enginePort = await freePort();
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const workerEnv: NodeJS.ProcessEnv = { ...env, INNGEST_API_BASE_URL: engineUrl };
  // Either would send the app's events somewhere other than the sink (INNGEST_DEV).
  delete workerEnv.INNGEST_BASE_URL;
  delete workerEnv.INNGEST_EVENT_API_BASE_URL;
  const worker = startWorker(args, workerEnv, [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), ...(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(cpuProfDir)}`] : [])]);
  let engine: Engine | undefined;
  try {
    const ready = await worker.line<{ url: string; workspaceId: string; importId: string; rssMb: number }>("BENCH_READY ");
    engine = createEngine({
      port: enginePort,
      database: engineDatabase,
      appUrl: ready.url,
      // The engine's earlier default (1 s, doubling): a retried chunk must not stall the bench for Inngest's 15 s+.
      backoff: (attempt) => 1000 * 2 ** attempt,
      logger: { info() {}, warn: (message, extra) => console.warn(`  [engine] ${message}`, extra ?? ""), error: (message, extra) => console.error(`  [engine] ${message}`, extra ?? "") },
    });
    await engine.start();
    await engine.sync();

    // What the upload route sends once the import row exists (app/api/v1/imports/route.ts).
    const event = contactImportRequested.create({ workspaceId: ready.workspaceId, importId: ready.importId }, { id: `contact-import-${ready.importId}` });
    const sentAt = Date.now();
    await engine.send({ name: event.name, data: event.data, id: event.id });
    const run = await waitForRunEnd(engine, ready.importId, worker.alive);
    const functionSeconds = (run.ended_at! - sentAt) / 1000;

    worker.child.stdin.end(`BENCH_FINISH ${JSON.stringify({ functionSeconds })}\n`);
    const result = await worker.result();
    if (run.status !== "completed") throw new Error(`import-contacts ${run.status}: ${JSON.stringify(run.error)}`);
    return { ...result, readyRssMb: ready.rssMb };
  } finally {
    await engine?.stop();
    await worker.kill(); // only on an error above: the worker waits for BENCH_FINISH
  }
}

/** Polls the engine until the import's import-contacts run has ended (its completion event sent). */
async function waitForRunEnd(engine: Engine, importId: string, workerAlive: () => boolean): Promise<RunRow> {
  for (;;) {
    if (!workerAlive()) throw new Error("the import worker exited during the run");
    const runs = await engine.listRuns({ limit: 20 });
    const run = runs.find((r) => r.event.name === contactImportRequested.name && r.event.data.importId === importId);
    if (run && run.status !== "queued" && run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fresh database on the server for this run; null (and a note) when the server is unreachable. */
async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void>; version: string } | null> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await admin<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
    const name = `sendline_bench_${randomBytes(5).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      version: row!.version,
      async drop() {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    const redacted = new URL(serverUrl);
    redacted.password = "";
    console.log(`PostgreSQL at ${redacted.toString()} is unreachable (${(error as Error).message}); skipping the postgres target.\n`);
    return null;
  }
}

type TargetResult = { target: Target; label: string; copy: Measured; imp: Measured; events: Record<string, number> };

function printTarget(result: TargetResult, csv: GeneratedCsv) {
  const { copy, imp } = result;
  const copyRate = copy.rows / copy.seconds;
  const importRate = imp.rows / imp.seconds;
  const counts = imp.counts!;
  const expected = { inserted: csv.rows - csv.expectedInvalid - csv.expectedDuplicates, skipped: csv.expectedDuplicates, failed: csv.expectedInvalid };
  const countsOk =
    counts.status === "completed" && counts.inserted === expected.inserted && counts.skipped === expected.skipped && counts.failed === expected.failed && counts.contacts === expected.inserted;
  const eventsOk = JSON.stringify(result.events) === JSON.stringify({ "import/contacts.completed": 1 });
  const line = (label: string, a: string, b: string) => console.log(`  ${label.padEnd(30)}${a.padStart(14)}${b.padStart(14)}`);
  console.log(`${result.label}`);
  line("", "raw COPY", "import");
  line("rows", fmt(copy.rows), fmt(imp.rows));
  line("time (s)", fmt(copy.seconds, 2), fmt(imp.seconds, 2));
  line("rows/s", fmt(copyRate), fmt(importRate));
  line("peak RSS, ru_maxrss (MB)", fmt(copy.maxRssMb, 1), fmt(imp.maxRssMb, 1));
  line("peak RSS, sampled 100 ms (MB)", fmt(copy.sampledPeakRssMb, 1), fmt(imp.sampledPeakRssMb, 1));
  line("RSS when ready to run (MB)", "", fmt(imp.readyRssMb ?? 0, 1));
  line("process wall time (s)", fmt(copy.processSeconds, 2), fmt(imp.processSeconds, 2));
  line("app CPU, upload to end (s)", "", fmt(imp.appCpuSeconds ?? 0, 2));
  console.log(`  ratio import/COPY         ${fmt(importRate / copyRate, 3)}`);
  if (copy.parseSeconds !== undefined) {
    const parseRate = copy.rows / copy.parseSeconds;
    // What the goal's numerator cannot avoid: reading the file with the importer's parser.
    console.log(
      `  parse floor               csv-parse alone over the file (no validation, no writes): ${fmt(copy.parseSeconds, 2)} s,` +
        ` ${fmt(parseRate)} rows/s = ${fmt(parseRate / copyRate, 3)} × COPY`,
    );
  }
  if (copy.floorSeconds !== undefined) {
    const floorRate = copy.rows / copy.floorSeconds;
    // What the goal's denominator leaves out: the same rows written into the indexed contacts table.
    console.log(
      `  write floor               COPY + one INSERT … SELECT into contacts (its 5 indexes, rolled back): ${fmt(copy.floorSeconds, 2)} s,` +
        ` ${fmt(floorRate)} rows/s = ${fmt(floorRate / copyRate, 3)} × COPY; import/floor ${fmt(importRate / floorRate, 3)}`,
    );
  }
  console.log(
    `  import phases             store upload ${fmt(imp.phases!.storeSeconds, 2)} s, function ${fmt(imp.phases!.functionSeconds, 2)} s` +
      ` (engine → serve() route over HTTP)`,
  );
  console.log(
    `  outcome                   ${counts.status}: inserted ${fmt(counts.inserted)}, updated ${fmt(counts.updated)}, skipped ${fmt(counts.skipped)}, failed ${fmt(counts.failed)};` +
      ` contacts in table ${fmt(counts.contacts)}; events sent ${JSON.stringify(result.events)}`,
  );
  console.log(
    `  expected                  inserted ${fmt(expected.inserted)}, skipped ${fmt(expected.skipped)}, failed ${fmt(expected.failed)} → one import/contacts.completed → ${countsOk && eventsOk ? "match" : "MISMATCH"}`,
  );
  console.log("");
  return { ratio: copy.floorSeconds === undefined ? Number.NaN : copy.floorSeconds / imp.seconds, rss: imp.maxRssMb };
}

async function main() {
  WORKER_BUNDLE = await bundleWorker(WORKER, "sendline-bench-import");
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-import-"));
  const sink = await startEventSink();
  const env: NodeJS.ProcessEnv = { ...process.env, INNGEST_DEV: sink.url };
  delete env.DATABASE_URL;
  const summaries: { target: Target; ratio: number; rss: number }[] = [];
  try {
    const csvPath = flags.csv ?? path.join(workDir, `contacts-${rows}.csv`);
    const started = performance.now();
    const csv = await generateCsv(csvPath, rows);
    const load = os.loadavg().map((n) => n.toFixed(2)).join(", ");
    console.log(
      `Import benchmark: ${fmt(rows)} rows, ${fmt(csv.bytes / 1024 / 1024, 1)} MB CSV (${fmt(csv.expectedInvalid)} invalid, ${fmt(csv.expectedDuplicates)} duplicates), ` +
        `generated in ${fmt((performance.now() - started) / 1000, 1)} s; chunk rows ${chunkRows ?? "default"}; ` +
        `app heap ${heapMb ? `capped at ${heapMb} MB (--max-old-space-size)` : "V8's default"}`,
    );
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${load} at start (other work on the machine skews absolute figures; ratios less so). Node ${process.version}.\n`);

    for (const target of targets) {
      let result: TargetResult;
      if (target === "postgres") {
        const database = await createBenchDatabase();
        if (!database) continue;
        try {
          const copy = await runWorker(["copy", "postgres", csv.path, database.url], env);
          sink.take();
          const imp = await runImport(["import", "postgres", csv.path, database.url, ...(chunkRows ? [String(chunkRows)] : [])], env, {
            url: database.url,
            schema: "inngest_engine",
          });
          result = { target, label: `PostgreSQL ${database.version} (fresh database, same server for both)`, copy, imp, ...sink.take() };
        } finally {
          await database.drop();
        }
      } else {
        const copyDir = path.join(workDir, "pglite-copy");
        const importDir = path.join(workDir, "pglite-import");
        const engineDir = path.join(workDir, "pglite-engine");
        const copy = await runWorker(["copy", "pglite", csv.path, copyDir], env);
        fs.rmSync(copyDir, { recursive: true, force: true });
        sink.take();
        const imp = await runImport(["import", "pglite", csv.path, importDir, ...(chunkRows ? [String(chunkRows)] : [])], env, { pgliteDir: engineDir });
        fs.rmSync(importDir, { recursive: true, force: true });
        fs.rmSync(engineDir, { recursive: true, force: true });
        result = { target, label: "PGlite, in the app's process, file-backed data directory (RSS includes the database itself)", copy, imp, ...sink.take() };
      }
      summaries.push({ target, ...printTarget(result, csv) });
    }

    console.log("Goals (DESIGN.md, PostgreSQL):");
    const pg = summaries.find((s) => s.target === "postgres");
    if (!pg) console.log("  not measured: the postgres target was skipped");
    else {
      const note = rows === 1_000_000 ? "" : ` (goal is for 1,000,000 rows; this run had ${fmt(rows)})`;
      console.log(`  import ≥ ${GOAL_RATIO} × write floor: ${fmt(pg.ratio, 3)} → ${pg.ratio >= GOAL_RATIO ? "MET" : "NOT MET"}${note}`);
      console.log(`  peak RSS ≤ ${GOAL_RSS_MB} MB: ${fmt(pg.rss, 1)} MB → ${pg.rss <= GOAL_RSS_MB ? "MET" : "NOT MET"}${note}`);
    }
    const lite = summaries.find((s) => s.target === "pglite");
    if (lite) console.log(`  PGlite (informational, no goal): import/floor ${fmt(lite.ratio, 3)}, peak RSS ${fmt(lite.rss, 1)} MB`);
  } finally {
    await sink.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
