/**
 * Quick throughput measurement (not a test): N events → N runs of a one-step function through the
 * in-process transport. Prints runs/s for PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
 *   npx tsx test/engine/measure-throughput.ts [N]
 */
import { randomBytes } from "node:crypto";
import { Inngest } from "inngest";
import { serve } from "inngest/edge";
import { createEngine } from "../../engine";
import type { DatabaseOption } from "../../engine/store/sql";
import { dropDatabase } from "./harness";

const RUNS = Number(process.argv[2] ?? 1000);
const APP_URL = "http://127.0.0.1:9/api/inngest";

async function measure(label: string, database: DatabaseOption) {
  const app: { handler?: (req: Request) => Promise<Response> } = {};
  const engine = createEngine({
    port: 0,
    database,
    appUrl: APP_URL,
    handler: (req) => app.handler!(req),
    logger: { info: () => {}, warn: console.warn, error: console.error },
  });
  await engine.start();
  // Per-statement counts and time (statements inside transactions are not seen here).
  const stats = new Map<string, { n: number; ms: number }>();
  const sql = engine.ctx.store.sql as { query: (t: string, p?: unknown[]) => Promise<unknown[]> };
  const query = sql.query.bind(sql);
  if (process.env.MEASURE_QUERIES)
    sql.query = async (t, p) => {
      const s0 = performance.now();
      try {
        return await query(t, p);
      } finally {
        const k = t.replace(/\s+/g, " ").slice(0, 70);
        const e = stats.get(k) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - s0;
        stats.set(k, e);
      }
    };
  const client = new Inngest({ id: "bench", baseUrl: engine.url, isDev: true });
  const fn = client.createFunction({ id: "one-step", triggers: [{ event: "bench/go" }] }, async ({ event, step }) =>
    step.run("work", () => Number(event.data.i) * 2),
  );
  app.handler = serve({ client, functions: [fn] }) as (req: Request) => Promise<Response>;
  await engine.sync();
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i += 500)
    await client.send(Array.from({ length: Math.min(500, RUNS - i) }, (_, k) => ({ name: "bench/go", data: { i: i + k } })));
  const tIngest = performance.now();
  await engine.waitForRuns((r) => r.status === "completed", RUNS, 600_000, { fnId: "bench-one-step", status: "completed", limit: RUNS + 10 });
  const t1 = performance.now();
  console.log(
    `${label}: ${RUNS} runs in ${((t1 - t0) / 1000).toFixed(1)} s → ${(RUNS / ((t1 - t0) / 1000)).toFixed(0)} runs/s ` +
      `(ingest ${((tIngest - t0) / 1000).toFixed(1)} s)`,
  );
  if (process.env.MEASURE_QUERIES)
    for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
      console.log(`${String(v.n).padStart(6)} ${v.ms.toFixed(0).padStart(7)} ms  ${k}`);
  await engine.stop();
  await dropDatabase(database);
}

if (!process.env.SKIP_PGLITE) await measure("PGlite", { pgliteDir: "memory://" });
if (process.env.TEST_DATABASE_URL)
  await measure("PostgreSQL", { url: process.env.TEST_DATABASE_URL, schema: `engine_test_${randomBytes(5).toString("hex")}` });
