/**
 * Export benchmark (issue 16: "a workspace export of 100k contacts completes with peak RSS ≤
 * 256 MB and a valid zip"). Seeds a PGlite database with --contacts contacts (default 100,000),
 * a list with half of them, --messages messages with two engagement events each, and a few
 * contacts whose erasure was requested (left out); then runs the export in a process of its own
 * (worker.ts, bundled and run with plain node and a V8 heap of --heap-mb, as a 256 MB function
 * would give it) through the same lib code build-export's steps call, and reads the worker's
 * peak RSS (process.resourceUsage().maxRSS) before the export (idle with the database open and
 * warm: the baseline) and after. The worker is the app: it reaches the database over the wire,
 * this process serving the PGlite files as `npm run dev` does (PostgreSQL's place in
 * production); `--in-process` opens PGlite inside the worker instead, whose WASM Postgres
 * (≈ 300 MB resident once warm) then counts in the worker's RSS. This process then checks the zip with fflate's streaming Unzip:
 * every file's rows, bytes and SHA-256 against the manifest, and the rows against what was seeded.
 * A missed goal is reported, never an error: it's a benchmark, not a test.
 *
 *   npm run bench:export -- [--contacts 100000] [--messages 30000] [--heap-mb 128] [--chunk-rows 10000] [--in-process]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { bundleWorker, spawnWorker } from "@/bench/bench-worker";
import { type Database, openDatabase } from "@/db";
import { advertiseEmbeddedServer, withdrawEmbeddedServer } from "@/db/embedded-server";
import { servePglite } from "@/db/pglite-wire-server";
import { freePort } from "@/test/support/free-port";
import type { ManifestFile } from "@/lib/exports/build-export";
import { readExportZip } from "@/lib/exports/read-export-zip";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

const GOAL_RSS_MB = 256;
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");
const ERASED = 25;

const { values: flags } = parseArgs({ options: { contacts: { type: "string" }, messages: { type: "string" }, "heap-mb": { type: "string" }, "chunk-rows": { type: "string" }, "in-process": { type: "boolean" } } });
const whole = (text: string | undefined, fallback: number) => {
  const value = Number((text ?? String(fallback)).replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isInteger(value) || value < 0) throw new Error(`not a whole number: ${text}`);
  return value;
};
const contactCount = whole(flags.contacts ?? process.env.BENCH_CONTACTS, 100_000);
const messageCount = Math.min(whole(flags.messages ?? process.env.BENCH_MESSAGES, 30_000), contactCount);
const heapMb = whole(flags["heap-mb"] ?? process.env.BENCH_HEAP_MB, 128);
const chunkRows = flags["chunk-rows"] ?? process.env.EXPORT_CHUNK_ROWS;
const inProcess = flags["in-process"] ?? false;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function seed(database: Database): Promise<{ workspaceId: string; expected: Record<"contacts" | "lists" | "list_members" | "messages" | "engagement_events", number>; seconds: number }> {
  const started = performance.now();
  await database.migrate();
  const { db } = database;
  const { workspace } = await createWorkspace(db, { name: "Export benchmark" });
  const ws = workspace.id;
  // Every 500th first name is a would-be formula, every contact has attributes: the CSV escapes and JSON cells are exercised.
  await db.execute(sql`
    insert into contacts (workspace_id, email, first_name, last_name, attributes, created_at)
    select ${ws}, 'contact' || g || '@example.com', case when g % 500 = 0 then '=SUM(A1:A9)' else 'First' || g end, 'Last' || g,
           jsonb_build_object('plan', case when g % 3 = 0 then 'pro' else 'free' end, 'n', g),
           ${new Date("2026-01-01T00:00:00Z").toISOString()}::timestamptz + g * interval '1 second'
    from generate_series(1, ${contactCount}) g`);
  await db.execute(sql`
    update contacts set erasure_requested_at = ${new Date().toISOString()}::timestamptz
    where id in (select id from contacts where workspace_id = ${ws} order by id limit ${ERASED})`);
  await db.execute(sql`insert into lists (workspace_id, name) values (${ws}, 'Everyone even'), (${ws}, 'Empty')`);
  await db.execute(sql`
    insert into list_members (list_id, contact_id, workspace_id)
    select (select id from lists where workspace_id = ${ws} and name = 'Everyone even'), id, ${ws}
    from (select id, row_number() over (order by id) n from contacts where workspace_id = ${ws}) c where n % 2 = 0`);
  await db.execute(sql`
    insert into messages (workspace_id, idempotency_key, kind, channel, recipient, contact_id, status, subject, request, queued_at, sent_at, delivered_at, opened_at)
    select ${ws}, 'bench-' || n, 'transactional', 'email', email, id, 'opened', 'Hello ' || n,
           jsonb_build_object('subject', 'Hello', 'body', '<p>Hi there</p>', 'data', jsonb_build_object('n', n)),
           t, t + interval '1 second', t + interval '5 seconds', t + interval '1 hour'
    from (select id, email, n, ${new Date("2026-02-01T00:00:00Z").toISOString()}::timestamptz + n * interval '1 second' t
          from (select id, email, row_number() over (order by created_at desc) n from contacts where workspace_id = ${ws}) c where n <= ${messageCount}) m`);
  await db.execute(sql`
    insert into engagement_events (workspace_id, message_id, contact_id, channel, type, source, occurred_at, dedupe_key)
    select workspace_id, id, contact_id, 'email', kind.type::engagement_type, kind.source::engagement_source,
           case when kind.type = 'delivered' then delivered_at else opened_at end, kind.type || ':' || id
    from messages, (values ('delivered', 'resend'), ('opened', 'pixel')) kind(type, source)
    where workspace_id = ${ws}`);
  const count = async (query: ReturnType<typeof sql>) => Number(((await db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
  const hidden = sql`(select id from contacts where workspace_id = ${ws} and erasure_requested_at is not null)`;
  const expected = {
    contacts: await count(sql`select count(*)::int n from contacts where workspace_id = ${ws} and erasure_requested_at is null`),
    lists: 2,
    list_members: await count(sql`select count(*)::int n from list_members where workspace_id = ${ws} and contact_id not in ${hidden}`),
    messages: await count(sql`select count(*)::int n from messages where workspace_id = ${ws} and (contact_id is null or contact_id not in ${hidden})`),
    engagement_events: await count(sql`select count(*)::int n from engagement_events where workspace_id = ${ws} and (contact_id is null or contact_id not in ${hidden})`),
  };
  return { workspaceId: ws, expected, seconds: (performance.now() - started) / 1000 };
}

type WorkerResult = { database: string; measure: string; baselineMaxRssMb: number; maxRssMb: number; baselineRssMb: number; currentBaselineMb: number; peakRssMb: number; seconds: number; rows: number; steps: number; chunkRows: number; bytes: number; sha256: string; key: string; files: ManifestFile[] };

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-export-"));
  const pgliteDir = path.join(dir, "db");
  const storageDir = path.join(dir, "files");
  try {
    // Started first, while this process is small: on Linux a child's maxRSS starts at its parent's high-water mark.
    const bundle = await bundleWorker(WORKER, "bench-export");
    const env: NodeJS.ProcessEnv = { ...process.env, ...(chunkRows ? { EXPORT_CHUNK_ROWS: chunkRows } : {}), SENDLINE_DATA_DIR: dir };
    delete env.DATABASE_URL;
    const worker = spawnWorker<WorkerResult>(bundle, [storageDir, ...(inProcess ? [pgliteDir] : [])], env, ["--expose-gc", ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])]);
    console.log(`Seeding ${fmt(contactCount)} contacts, ${fmt(messageCount)} messages with 2 events each, ${ERASED} contacts being erased (PGlite) …`);
    let database: Database | null = openDatabase({ pgliteDir });
    const seeded = await seed(database).catch(async (error: unknown) => {
      await worker.kill();
      throw error;
    });
    console.log(`  seeded in ${fmt(seeded.seconds, 1)} s`);
    let server: Awaited<ReturnType<typeof servePglite>> | null = null;
    if (inProcess) {
      await database.close();
      database = null;
    } else {
      // As `npm run dev`: this process owns the files and serves them; the worker finds the advertisement under SENDLINE_DATA_DIR.
      server = await servePglite(database.pglite!, { host: "127.0.0.1", port: await freePort() });
      process.env.SENDLINE_DATA_DIR = dir;
      advertiseEmbeddedServer({ pid: process.pid, url: server.url, dir: pgliteDir });
    }

    worker.child.stdin.write(`BENCH_GO ${JSON.stringify({ workspaceId: seeded.workspaceId })}\n`);
    const result = await worker.result().finally(async () => {
      withdrawEmbeddedServer(process.pid);
      await server?.close();
      await database?.close();
    });

    // Validity: streamed through fflate's Unzip here, checked against its manifest and against the seed.
    const zipPath = path.join(storageDir, ...result.key.split("/"));
    const zip = await readExportZip(fs.createReadStream(zipPath));
    const problems = [...zip.problems];
    for (const [file, rows] of Object.entries(seeded.expected)) {
      for (const format of ["jsonl", "csv"]) {
        const found = zip.files.find((entry) => entry.name === `${file}.${format}`);
        if (found?.rows !== rows) problems.push(`${file}.${format}: ${found?.rows ?? "missing"} rows, seeded ${rows}`);
      }
    }
    const partsLeft = fs.readdirSync(path.dirname(zipPath)).filter((name) => name.startsWith("part-"));
    if (partsLeft.length) problems.push(`${partsLeft.length} part files left behind`);

    const load = os.loadavg().map((n) => n.toFixed(2)).join(", ");
    const ratio = result.peakRssMb / result.baselineRssMb;
    console.log("");
    const where = inProcess ? "PGlite inside the worker" : "PGlite served over the wire by the parent (the worker holds no database, as with PostgreSQL)";
    console.log(`Workspace export of ${fmt(seeded.expected.contacts)} contacts (${fmt(result.rows)} rows in all), ${where}; ${os.cpus().length} cores, load average ${load}`);
    console.log(`  files         ${zip.files.map((file) => `${file.name} ${fmt(file.rows)}`).join(", ")}`);
    console.log(`  time          ${fmt(result.seconds, 1)} s (${fmt(result.rows / result.seconds)} rows/s), ${result.steps} steps of ${fmt(result.chunkRows)} rows`);
    console.log(`  zip           ${fmt(result.bytes / 1024 / 1024, 1)} MB, sha256 ${result.sha256.slice(0, 16)}…`);
    console.log(`  baseline RSS  ${fmt(result.baselineRssMb, 1)} MB peak so far (${result.measure}; ${fmt(result.currentBaselineMb, 1)} MB current): the worker idle with its database open and every table read once`);
    console.log(`  peak RSS      ${fmt(result.peakRssMb, 1)} MB (${result.measure}) over the whole export = ${fmt(ratio, 2)} × the baseline; heap capped at ${heapMb ? `${heapMb} MB` : "V8's default"}`);
    console.log(`  maxRSS        ${fmt(result.baselineMaxRssMb, 1)} MB before, ${fmt(result.maxRssMb, 1)} MB after (process.resourceUsage(); on Linux it starts at the parent's high-water mark when the worker was spawned)`);
    console.log(`  export's own  +${fmt(result.peakRssMb - result.baselineRssMb, 1)} MB over the baseline${inProcess ? " (the rest is the embedded WASM Postgres, which production keeps in its own server)" : ""}`);
    console.log(`  goal          peak RSS ≤ ${GOAL_RSS_MB} MB: ${result.peakRssMb <= GOAL_RSS_MB ? "met" : "MISSED"}; valid zip: ${problems.length === 0 ? "yes" : `NO\n    ${problems.join("\n    ")}`}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
