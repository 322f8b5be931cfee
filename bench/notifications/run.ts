/**
 * Transactional burst benchmark (issue 13; DESIGN.md "Performance goals"): a burst of N
 * transactional emails posted to the real notifications route at concurrency C, run by the
 * local engine through the app's real serve() route, sent with the real Resend SDK to a loopback
 * fake of Resend that enforces its rate limit (2 requests/s by default) and its idempotency keys.
 * Then single notifications on the idle system, one at a time, timed from the API call to the
 * provider's receipt. A missed goal is reported, never an error.
 *
 *   npm run bench:notifications -- [--messages 2000] [--concurrency 16] [--rps 2] [--singles 20]
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is
 * created there and dropped after; unreachable → PGlite in a temp dir).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchDatabase } from "@/bench/bench-database";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { callRoute } from "@/test/support/api";
import { freePort } from "@/test/support/free-port";

const EMAILS_PER_CALL = 100;
const GOAL_FLOOR_MULTIPLE = 2;
const GOAL_SINGLE_P50_MS = 1_200;

const { values: flags } = parseArgs({ options: { messages: { type: "string" }, concurrency: { type: "string" }, rps: { type: "string" }, singles: { type: "string" } } });
const total = Number(flags.messages ?? 2_000);
const concurrency = Number(flags.concurrency ?? 16);
const rps = Number(flags.rps ?? 2);
const singles = Number(flags.singles ?? 20);
for (const [name, value] of [["--messages", total], ["--concurrency", concurrency], ["--rps", rps], ["--singles", singles]] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
}
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const resend = await startFakeResend({ rateLimit: { requests: rps, windowMs: 1_000 } });
  const port = await freePort();
  // Read by the app modules when they load: set before importing them.
  Object.assign(process.env, {
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    EMAIL_PROVIDER_RPS: String(rps),
    // One info line per run would be the bench's own biggest cost.
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    INNGEST_DEV: `http://127.0.0.1:${port}`,
    SENDLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-data-")),
  });
  delete process.env.DATABASE_URL;
  const database = await benchDatabase(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test", "sendline-bench-notifications");
  const { openDatabase, setDatabase } = await import("@/db");
  const { createEngine } = await import("@/engine");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const route = await import("@/app/api/inngest/route");
  const notifications = await import("@/app/api/v1/notifications/route");
  const { countMessagesByStatus } = await import("@/db/queries/message-stats");
  const counted = (workspaceId: string) => countMessagesByStatus(app.db, { workspaceId, since: new Date(0) });

  const app = openDatabase(database.app);
  const quiet = { info() {}, warn() {}, error: (message: string, extra?: unknown) => console.error(message, extra ?? "") };
  const engine = createEngine({
    port,
    database: database.engine,
    appUrl: "http://127.0.0.1:3000/api/inngest",
    handler: (request) => route[request.method as "GET" | "POST" | "PUT"](request as never, undefined as never),
    backoff: (attempt) => 1000 * 2 ** attempt,
    logger: quiet,
  });
  try {
    await app.migrate();
    setDatabase(app);
    await engine.start();
    await engine.sync();
    const { workspace, apiKey } = await createWorkspace(app.db, { name: "Notification benchmark" });
    const post = (n: number, to: string) =>
      callRoute(notifications.POST, {
        method: "POST",
        path: "/api/v1/notifications",
        apiKey,
        body: { messageId: `bench-${n}`, channel: "email", to, subject: "Reset your password, {{ name }}", body: "<p>Hi {{ name }}, your code is <b>{{ code }}</b>.</p>", data: { name: `User ${n}`, code: 100000 + n } },
      });
    console.log(`Notification benchmark: a burst of ${fmt(total)} emails posted at concurrency ${concurrency}; provider limit ${rps} requests/s × ${EMAILS_PER_CALL} emails; ${database.label}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((n) => n.toFixed(2)).join(", ")}.\n`);

    // The burst.
    const started = performance.now();
    let next = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let n = next++; n < total; n = next++) {
          const response = await post(n, `user${n}@example.com`);
          if (response.status !== 202) refused++;
        }
      }),
    );
    const postedSeconds = (performance.now() - started) / 1000;
    let counts = await counted(workspace.id);
    for (;;) {
      counts = await counted(workspace.id);
      if ((counts.queued ?? 0) + (counts.sending ?? 0) === 0 || performance.now() - started > 600_000) break;
      await sleep(100);
    }
    const burstSeconds = (performance.now() - started) / 1000;
    const requests = resend.requests.filter((r) => r.path.startsWith("/emails"));
    const limited = requests.filter((r) => r.status === 429).length;
    const floorSeconds = total / EMAILS_PER_CALL / rps;

    // Singles on the idle system: one at a time, API call → the provider has the email.
    await sleep(2_000);
    const latencies: number[] = [];
    for (let i = 0; i < singles; i++) {
      const to = `single${i}@example.com`;
      const at = performance.now();
      const response = await post(total + i, to);
      if (response.status !== 202) throw new Error(`single notification refused: ${response.status}`);
      while (!resend.emails.some((email) => email.to.includes(to))) await sleep(5);
      latencies.push(performance.now() - at);
      // Apart by more than a batch timeout, so each is alone as a lone message would be.
      await sleep(1_200);
    }
    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    const p90 = latencies[Math.floor(latencies.length * 0.9)]!;

    const sent = counts.sent ?? 0;
    const failed = counts.failed ?? 0;
    const duplicates = resend.duplicateSends().length;
    console.log(`  burst outcome           ${fmt(sent)} sent, ${fmt(failed)} failed, ${fmt(refused)} refused by the API, of ${fmt(total)}`);
    console.log(`  posted                  in ${fmt(postedSeconds, 1)} s (${fmt(total / postedSeconds)} requests/s)`);
    console.log(`  burst wall time         ${fmt(burstSeconds, 1)} s; the provider's floor is ${fmt(floorSeconds, 1)} s (${fmt(burstSeconds / floorSeconds, 2)} × floor)`);
    console.log(`  provider requests       ${fmt(requests.length - limited)} accepted, ${fmt(limited)} answered 429`);
    console.log(`  duplicates              ${duplicates} emails sent twice; ${resend.counters.duplicates} requests answered from the idempotency store`);
    console.log(`  single notification     p50 ${fmt(p50)} ms, p90 ${fmt(p90)} ms (API call → provider, ${singles} alone on an idle system)`);
    console.log("\nGoals (issue 13):");
    const allSent = sent === total && failed === 0 && refused === 0;
    console.log(`  all ${fmt(total)} sent, 0 failed: ${fmt(sent)} sent, ${fmt(failed)} failed → ${allSent ? "MET" : "NOT MET"}`);
    console.log(`  0 duplicates: ${duplicates} → ${duplicates === 0 ? "MET" : "NOT MET"}`);
    console.log(`  burst ≤ ${GOAL_FLOOR_MULTIPLE} × the provider's floor (${fmt(floorSeconds * GOAL_FLOOR_MULTIPLE, 1)} s): ${fmt(burstSeconds, 1)} s → ${burstSeconds <= floorSeconds * GOAL_FLOOR_MULTIPLE ? "MET" : "NOT MET"}`);
    console.log(`  single p50 ≤ ${fmt(GOAL_SINGLE_P50_MS)} ms: ${fmt(p50)} ms → ${p50 <= GOAL_SINGLE_P50_MS ? "MET" : "NOT MET"}`);
  } finally {
    await engine.stop().catch(() => {});
    setDatabase(undefined);
    await app.close().catch(() => {});
    await resend.stop();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
