/**
 * Webhook ingest benchmark (issue 15; DESIGN.md "Performance goals"): N Resend webhooks, signed
 * with real Svix signatures for messages that exist, posted over real HTTP at concurrency C to
 * the real route (app/api/webhooks/resend) in the app's own process (worker.ts), which also
 * hosts serve() for the local engine running here, as Inngest runs elsewhere. Before it, in the
 * same run, on the same HTTP server and database: a bare route that only verifies the signature
 * and inserts the webhook_events row — the floor an acknowledgement cannot go below. Then waits
 * until the batches have drained into the engagement stream. A missed goal is reported, never
 * an error.
 *
 *   npm run bench:webhooks -- [--webhooks 5000] [--concurrency 50]
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is
 * created there and dropped after); BENCH_PROFILE_DIR writes the app process's CPU profile there. The app and the engine run in two processes, which PGlite
 * does not admit: this bench needs PostgreSQL.
 *
 * Each message gets two webhooks, email.delivered and then email.opened or (every fifth)
 * email.clicked, so every webhook is one row of the stream (delivered keyed by message, the
 * open or click by its svix-id) and lost = posted − rows.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchDatabase } from "@/bench/bench-database";
import { spawnWorker } from "@/bench/bench-worker";
import { newResendWebhookSecret, resendWebhookPayload, signResendWebhook } from "@/test/fakes/fake-resend";
import { freePort } from "@/test/support/free-port";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");
const GOAL_ACKS_PER_SECOND = 1_000;
const GOAL_BARE_RATIO = 0.25;
const GOAL_EXECUTIONS_PER_1000 = 25;
const DRAIN_TIMEOUT_MS = 300_000;

const { values: flags } = parseArgs({ options: { webhooks: { type: "string" }, concurrency: { type: "string" } } });
const total = Number(flags.webhooks ?? 5_000);
const concurrency = Number(flags.concurrency ?? 50);
for (const [name, value] of [["--webhooks", total], ["--concurrency", concurrency]] as const) {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verdict = (met: boolean) => (met ? "MET" : "NOT MET");

type Delivery = { body: string; headers: Record<string, string> };

/** Posts every delivery at `concurrency` over keep-alive HTTP; counts 200s (acknowledged) and the rest by status. */
async function postAll(url: string, deliveries: Delivery[]): Promise<{ seconds: number; acknowledged: number; refused: Map<number, number> }> {
  const refused = new Map<number, number>();
  let acknowledged = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < deliveries.length; i = next++) {
        const { body, headers } = deliveries[i]!;
        const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
        await response.arrayBuffer();
        if (response.status === 200) acknowledged++;
        else refused.set(response.status, (refused.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, acknowledged, refused };
}

/** Signed just before posting: Svix refuses timestamps more than five minutes old. */
function sign(secret: string, payloads: Record<string, unknown>[]): Delivery[] {
  return payloads.map((payload) => {
    const body = JSON.stringify(payload);
    return { body, headers: signResendWebhook(secret, body) };
  });
}

async function main() {
  const enginePort = await freePort();
  const secret = newResendWebhookSecret();
  Object.assign(process.env, {
    RESEND_WEBHOOK_SECRET: secret,
    INNGEST_DEV: `http://127.0.0.1:${enginePort}`,
    SENDLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-data-")),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  delete process.env.DATABASE_URL;
  delete process.env.INNGEST_BASE_URL;
  delete process.env.INNGEST_EVENT_API_BASE_URL;
  const database = await benchDatabase(serverUrl, "sendline-bench-webhooks");
  if (!("url" in database.app)) {
    await database.drop();
    console.log("bench:webhooks needs PostgreSQL (the app and the engine are two processes); set BENCH_DATABASE_URL.");
    return;
  }
  const { openDatabase } = await import("@/db");
  const { createEngine } = await import("@/engine");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { messages } = await import("@/db/schema");
  const { sql } = await import("drizzle-orm");

  const app = openDatabase(database.app);
  let engine: ReturnType<typeof createEngine> | undefined;
  let worker: ReturnType<typeof spawnWorker<{ cpuSeconds: number }>> | undefined;
  try {
    await app.migrate();
    const { workspace } = await createWorkspace(app.db, { name: "Webhook benchmark" });
    // The messages the webhooks are about: transactional emails Resend accepted.
    const count = Math.ceil(total / 2);
    const sent = Array.from({ length: count }, (_, i) => ({ id: randomUUID(), emailId: randomUUID(), to: `reader${i}@example.com` }));
    for (let start = 0; start < sent.length; start += 1_000) {
      await app.db.insert(messages).values(
        sent.slice(start, start + 1_000).map((m) => ({
          id: m.id,
          workspaceId: workspace.id,
          idempotencyKey: `bench-${m.id}`,
          channel: "email" as const,
          recipient: m.to,
          status: "sent" as const,
          provider: "resend",
          providerMessageId: m.emailId,
          sentAt: new Date(),
        })),
      );
    }
    const email = (m: (typeof sent)[number]) => ({
      id: m.emailId,
      from: "Bench <bench@example.com>",
      to: [m.to],
      subject: "Your receipt",
      createdAt: new Date().toISOString(),
      tags: [
        { name: "message_id", value: m.id },
        { name: "workspace_id", value: workspace.id },
      ],
    });
    // Deliveries first, then opens and clicks, as they arrive in life (and as Resend retries them: in any order).
    const payloads = [
      ...sent.map((m) => resendWebhookPayload(email(m), "email.delivered")),
      ...sent.map((m, i) =>
        i % 5 === 4
          ? resendWebhookPayload(email(m), "email.clicked", { click: { ipAddress: "192.0.2.1", link: "https://example.com/receipt", timestamp: new Date().toISOString(), userAgent: "Mozilla/5.0" } })
          : resendWebhookPayload(email(m), "email.opened"),
      ),
    ].slice(0, total);

    // Through tsx rather than a bundle: the routes import next/server, which plain ESM cannot resolve.
    worker = spawnWorker<{ cpuSeconds: number }>(WORKER, [JSON.stringify(database.app)], process.env, [
      "--import",
      "tsx",
      ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
    ]);
    const { origin } = await worker.line<{ origin: string }>("BENCH_READY ");
    engine = createEngine({
      port: enginePort,
      database: database.engine,
      appUrl: `${origin}/api/inngest`,
      backoff: (attempt) => 1000 * 2 ** attempt,
      logger: { info() {}, warn: (message, extra) => console.warn(`  [engine] ${message}`, extra ?? ""), error: (message, extra) => console.error(`  [engine] ${message}`, extra ?? "") },
    });
    await engine.start();
    await engine.sync();
    console.log(`Webhook benchmark: ${fmt(total)} signed Resend webhooks for ${fmt(count)} messages, posted at concurrency ${concurrency}; ${database.label}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${loadAverage()}. The app (serve(), the webhook route, the bare route) runs in a process of its own; the engine and the client run in this one.\n`);

    // Warm both paths (module loading, connections, JIT) with a few webhooks of their own.
    // email.delivery_delayed changes nothing and appends nothing.
    const warm = Array.from({ length: 50 }, () => resendWebhookPayload(email(sent[0]!), "email.delivery_delayed"));
    await postAll(`${origin}/bench/bare-webhook`, sign(secret, warm));
    await postAll(`${origin}/api/webhooks/resend`, sign(secret, warm));
    await sleep(2_000);
    const runsBefore = (await engine.listRuns({ limit: 1_000_000 })).map((run) => run.id);

    const bare = await postAll(`${origin}/bench/bare-webhook`, sign(secret, payloads));
    // Let the database settle (autovacuum of the bare rows aside) before the measured route.
    await sleep(1_000);
    const loadBefore = loadAverage();
    const real = await postAll(`${origin}/api/webhooks/resend`, sign(secret, payloads));
    const loadAfterPosting = loadAverage();

    // Drain: every webhook becomes a row of the stream (or the timeout says it did not).
    const drainStarted = performance.now();
    let rows = 0;
    for (;;) {
      const [row] = (await app.db.execute(sql`select count(*)::int as n from engagement_events where workspace_id = ${workspace.id}::uuid`)) as unknown as { n: number }[];
      rows = row!.n;
      if (rows >= real.acknowledged || performance.now() - drainStarted > DRAIN_TIMEOUT_MS) break;
      await sleep(200);
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    // Let the last runs end before counting executions.
    for (let i = 0; i < 50; i++) {
      const open = await engine.countRuns({ status: ["queued", "running"] });
      if (open === 0) break;
      await sleep(200);
    }
    const before = new Set(runsBefore);
    const runs = (await engine.listRuns({ limit: 1_000_000 })).filter((run) => !before.has(run.id) && run.fn_id.endsWith("process-email-event"));
    const steps = runs.reduce((sum, run) => sum + Object.keys(run.steps ?? {}).length, 0);
    const failedRuns = runs.filter((run) => run.status === "failed").length;
    const executions = runs.length + steps;
    const per1000 = (executions * 1000) / total;
    const lost = total - rows;
    const bareRate = bare.acknowledged / bare.seconds;
    const realRate = real.acknowledged / real.seconds;
    const ratio = realRate / bareRate;
    const refusedText = (refused: Map<number, number>) => (refused.size === 0 ? "none refused" : [...refused].map(([status, n]) => `${fmt(n)} × ${status}`).join(", "));

    console.log(`  bare route (verify + insert)   ${fmt(bareRate)} acknowledged/s (${fmt(bare.acknowledged)} in ${fmt(bare.seconds, 2)} s; ${refusedText(bare.refused)})`);
    console.log(`  webhook route                  ${fmt(realRate)} acknowledged/s (${fmt(real.acknowledged)} in ${fmt(real.seconds, 2)} s; ${refusedText(real.refused)})`);
    console.log(`  ratio to the bare route        ${fmt(ratio, 2)}`);
    console.log(`  drained into the stream        ${fmt(rows)} engagement rows, ${fmt(drainSeconds, 1)} s after the last acknowledgement`);
    console.log(`  Inngest executions             ${fmt(runs.length)} runs + ${fmt(steps)} steps = ${fmt(executions)} = ${fmt(per1000, 1)} per 1,000 webhooks (${fmt(total / Math.max(1, runs.length), 1)} webhooks per run; ${failedRuns} failed)`);
    console.log(`  lost                           ${fmt(lost)} (posted − engagement rows)`);
    console.log(`  load average                   ${loadBefore} before the measured route, ${loadAfterPosting} after posting, ${loadAverage()} at the end`);
    console.log("\nGoals (issue 15):");
    console.log(`  ≥ ${fmt(GOAL_ACKS_PER_SECOND)} acknowledged/s: ${fmt(realRate)} → ${verdict(realRate >= GOAL_ACKS_PER_SECOND)}`);
    console.log(`  ≥ ${GOAL_BARE_RATIO} × the bare route: ${fmt(ratio, 2)} → ${verdict(ratio >= GOAL_BARE_RATIO)}`);
    console.log(`  ≤ ${GOAL_EXECUTIONS_PER_1000} executions per 1,000 webhooks: ${fmt(per1000, 1)} → ${verdict(per1000 <= GOAL_EXECUTIONS_PER_1000)}`);
    console.log(`  0 lost: ${fmt(lost)} → ${verdict(lost === 0)}`);
  } finally {
    await engine?.stop().catch(() => {});
    if (worker?.alive()) {
      worker.child.stdin.end();
      await worker.result().catch(() => worker?.kill());
    }
    await app.close().catch(() => {});
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
