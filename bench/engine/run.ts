/**
 * Engine benchmark (DESIGN.md "Performance goals"): per target (PostgreSQL, in-process PGlite)
 * prints events/s acknowledged by `POST /e/:key` for batches of 1 (from one sender and from 16
 * concurrent ones, as webhooks arrive), 100 and 5,000 events, and
 * one-step runs/s end to end, each next to a floor measured in the same run:
 *   - intake: the same events written by one plain INSERT per batch (one row per event) into a
 *     bare table on the same database — what storing them costs before any engine logic;
 *   - runs: the same one-step function driven by calling its serve() handler directly (the SDK's
 *     plain protocol, two calls per run, no engine) — the app's own cost per run.
 * Senders post with node:http over keep-alive connections, not fetch: they share this process's
 * one thread with the engine, and undici's fetch costs more CPU per request than the engine's
 * whole intake (2 cores, 16 senders: an engine that stores nothing answers ≈ 1,400 posts/s to
 * fetch and ≈ 11,000/s to node:http). Real senders are other processes.
 * Figures only; a missed goal is printed, never an error.
 *
 *   npm run bench:engine -- [--runs 2000] [--targets postgres,pglite] [--only intake|runs]
 * Env: BENCH_RUNS, BENCH_TARGETS, BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { Inngest } from "inngest";
import { serve } from "inngest/edge";
import postgres from "postgres";
import { createEngine } from "../../engine";
import { openSql, type DatabaseOption } from "../../engine/store/sql";

type Target = "postgres" | "pglite";

/**
 * Goals (DESIGN.md): single-event posts from 16 concurrent senders, and one-step runs as a share
 * of the SDK-alone floor. One sender waiting for each answer measures a commit's latency, not
 * throughput: it is printed without a goal.
 */
const GOAL_CONCURRENT_EVENTS_PER_S = 1_000;
const RUN_GOAL: Record<Target, number> = { postgres: 0.8, pglite: 0.6 };
/** Events sent per batch size: enough posts for a stable rate, few enough to finish in seconds. */
const INTAKE = [
  { batch: 1, events: 500, senders: 1 },
  // Webhooks arrive concurrently, each sent on its own: the shape of the 1,000 events/s goal.
  { batch: 1, events: 2_000, senders: 16 },
  { batch: 100, events: 5_000, senders: 1 },
  { batch: 5_000, events: 20_000, senders: 1 },
];
const APP_URL = "http://127.0.0.1:9/api/inngest";

const { values: flags } = parseArgs({ options: { runs: { type: "string" }, targets: { type: "string" }, only: { type: "string" } } });
const runCount = Number(flags.runs ?? process.env.BENCH_RUNS ?? 2000);
if (!Number.isInteger(runCount) || runCount <= 0) throw new Error(`--runs must be a positive integer, got ${flags.runs}`);
const targets = (flags.targets ?? process.env.BENCH_TARGETS ?? "postgres,pglite").split(",").map((t) => t.trim()) as Target[];
for (const t of targets) if (t !== "postgres" && t !== "pglite") throw new Error(`unknown target ${t} (postgres, pglite)`);
const only = flags.only;
if (only !== undefined && only !== "intake" && only !== "runs") throw new Error(`--only must be intake or runs, got ${only}`);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function app(baseUrl: string) {
  const client = new Inngest({ id: "bench", baseUrl, isDev: true });
  const oneStep = client.createFunction({ id: "one-step", triggers: [{ event: "bench/run" }] }, async ({ event, step }) =>
    step.run("work", () => Number(event.data.i) * 2),
  );
  // Intake target: every event creates a run (as a webhook does), queued 600 s ahead by priority
  // so the intake figures are not mixed with executing those runs.
  const ingested = client.createFunction(
    { id: "ingested", priority: { run: "-600" }, triggers: [{ event: "bench/webhook" }] },
    async () => null,
  );
  return { client, handler: serve({ client, functions: [oneStep, ingested] }) as (req: Request) => Promise<Response> };
}

const rate = (n: number, ms: number) => n / (ms / 1000);

/** POSTs JSON over a kept-alive connection of `agent`; resolves once the whole answer has arrived. */
function postJson(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => res.resume().on("end", () => resolve(res.statusCode ?? 0)),
    );
    req.on("error", reject).end(body);
  });
}
const fmt = (n: number) => n.toFixed(0).padStart(7);

/** `events` split into batches, sent by `senders` concurrent loops; resolves with events/s. */
async function timed(events: number, batch: number, senders: number, send: (list: Array<{ name: string; data: Record<string, unknown> }>) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < events) {
        const from = next;
        next = Math.min(events, next + batch);
        await send(Array.from({ length: next - from }, (_, k) => ({ name: "bench/webhook", data: { i: from + k, provider: "resend" } })));
      }
    }),
  );
  return rate(events, performance.now() - t0);
}

async function intakeFloor(database: DatabaseOption, batch: number, events: number, senders: number): Promise<number> {
  const sql = await openSql({ ...database, schema: `${"schema" in database && database.schema ? database.schema : "bench"}_floor` });
  try {
    await sql.query(`CREATE TABLE IF NOT EXISTS floor_events (id text PRIMARY KEY, payload jsonb NOT NULL)`);
    return await timed(events, batch, senders, async (list) => {
      const rows = list.map((payload) => ({ id: randomBytes(8).toString("hex"), payload }));
      await sql.query(
        `INSERT INTO floor_events (id, payload) SELECT r.id, r.payload FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, payload jsonb)`,
        [JSON.stringify(rows)],
      );
    });
  } finally {
    await sql.query(`DROP TABLE IF EXISTS floor_events`);
    await sql.close();
  }
}

/** A one-step run through the SDK's plain protocol, with no engine: discovery runs the step, a second call completes. */
async function sdkFloor(runs: number): Promise<number> {
  const { handler } = app("http://127.0.0.1:9");
  const call = async (i: number, steps: Record<string, unknown>) => {
    const event = { name: "bench/run", data: { i }, id: `e${i}`, ts: Date.now() };
    const body = {
      event,
      events: [event],
      steps,
      version: 2,
      ctx: { run_id: `r${i}`, attempt: 0, disable_immediate_execution: false, use_api: false, stack: { stack: Object.keys(steps), current: Object.keys(steps).length } },
    };
    const res = await handler(
      new Request(`${APP_URL}?fnId=bench-one-step&stepId=step`, {
        method: "POST",
        // serve() resolves the URL against the Host header, as the engine's in-process transport sets it.
        headers: { "content-type": "application/json", host: new URL(APP_URL).host },
        body: JSON.stringify(body),
      }),
    );
    return { status: res.status, ops: (await res.json()) as Array<{ id: string; data: unknown }> };
  };
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const first = await call(i, {});
    const op = first.ops[0]!;
    const done = await call(i, { [op.id]: { data: op.data } });
    if (done.status !== 200) throw new Error(`SDK floor: expected 200, got ${done.status}`);
  }
  return rate(runs, performance.now() - t0);
}

async function measure(target: Target) {
  const schema = `engine_bench_${randomBytes(4).toString("hex")}`;
  const database: DatabaseOption = target === "postgres" ? { url: databaseUrl, schema } : { pgliteDir: "memory://" };
  const holder: { handler?: (req: Request) => Promise<Response> } = {};
  const engine = createEngine({
    port: 0,
    database,
    appUrl: APP_URL,
    handler: (req) => holder.handler!(req),
    logger: { info: () => {}, warn: console.warn, error: console.error },
  });
  await engine.start();
  const { client, handler } = app(engine.url);
  holder.handler = handler;
  await engine.sync();
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`\n${target}   (load average ${load()}, ${os.cpus().length} CPUs)`);
  if (only !== "runs") console.log(`  intake (events/s acknowledged)     engine    floor   ratio   (floor: one plain multi-row INSERT per batch)`);
  const intakeUrl = new URL(`${engine.url}/e/bench`);
  for (const { batch, events, senders } of only === "runs" ? [] : INTAKE) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
    const engineRate = await timed(events, batch, senders, async (list) => {
      const status = await postJson(agent, intakeUrl, JSON.stringify(list));
      if (status !== 200) throw new Error(`intake: HTTP ${status}`);
    });
    agent.destroy();
    const floor = await intakeFloor(database, batch, events, senders);
    const goalRate = batch === 1 && senders > 1 ? GOAL_CONCURRENT_EVENTS_PER_S : 0;
    const goal = engineRate >= goalRate ? "" : `  below the ${goalRate}/s goal`;
    const shape = `batch ${String(batch).padStart(5)} × ${String(senders).padStart(2)} sender${senders > 1 ? "s" : " "}`;
    console.log(`    ${shape} ${fmt(engineRate)}  ${fmt(floor)}   ${(engineRate / floor).toFixed(2)}${goal}`);
  }
  const t0 = performance.now();
  for (let i = 0; only !== "intake" && i < runCount; i += 500)
    await client.send(Array.from({ length: Math.min(500, runCount - i) }, (_, k) => ({ name: "bench/run", data: { i: i + k } })));
  // Counting, not listing: reading thousands of rows every poll would tax the CPU being measured.
  while (only !== "intake" && (await engine.countRuns({ fnId: "bench-one-step", status: "completed" })) < runCount)
    await new Promise((r) => setTimeout(r, 100));
  const runRate = rate(runCount, performance.now() - t0);
  await engine.stop();
  if (target === "postgres") {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_floor CASCADE`);
    await sql.end({ timeout: 2 });
  }
  if (only === "intake") return;
  const floor = await sdkFloor(Math.min(runCount, 1000));
  const ratio = runRate / floor;
  const goal = ratio >= RUN_GOAL[target] ? "" : `  below the ${RUN_GOAL[target]} × floor goal`;
  console.log(`  one-step runs/s (${String(runCount).padStart(5)} runs)         ${fmt(runRate)}  ${fmt(floor)}   ${ratio.toFixed(2)}   (floor: the SDK alone, no engine)${goal}`);
  console.log(`  load average after: ${load()}`);
}

for (const target of targets) await measure(target);
