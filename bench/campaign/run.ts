/**
 * Campaign benchmark (DESIGN.md "Performance goals"): an email campaign to N recipients as
 * production runs it. The app (worker.ts) runs in a process of its own, hosting the real serve()
 * route on loopback HTTP, and sends with the real Resend SDK; the local engine and a loopback
 * fake of the Resend API (its rate limit enforced, idempotency keys recorded) run in this
 * process, as Inngest and Resend run elsewhere. Prints Inngest executions (runs + steps) per
 * 1,000 recipients, provider rate-limit utilisation, 429s, duplicates, wall time and emails/s,
 * the app's CPU and peak RSS, and the same throughput for a *bare loop* run after the campaign
 * from the same kind of process: the same recipients rendered and tracked by the same code
 * (renderCampaignEmail), posted in the same batches through the same Resend provider to a fresh
 * fake with the same limit, as many batches at once as the pipeline may have
 * (chunkRunsPerWorkspace × emailPartsInFlight), paced in memory — no engine, no database.
 * The campaign ÷ bare-loop ratio is what durability and bookkeeping cost. A missed goal is
 * reported, never an error.
 *
 *   npm run bench:campaign -- [--recipients 100000] [--rps 2] [--chunk 1000]
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is
 * created on that server and dropped after; unreachable → in-process PGlite in a temp dir).
 *
 * --rps sets both the fake's limit and EMAIL_PROVIDER_RPS (Resend's default is 2 requests/s of
 * 100 emails: 100,000 recipients then take about 8.5 minutes; utilisation is a ratio, so a
 * higher --rps measures the same thing faster).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchDatabase } from "@/bench/bench-database";
import { bundleWorker, spawnWorker } from "@/bench/bench-worker";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { freePort } from "@/test/support/free-port";
import type { BareWorkerResult, CampaignWorkerResult } from "./worker";

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");

const GOAL_EXECUTIONS_PER_1000 = 15;
const GOAL_UTILISATION = 0.9;
const GOAL_429_RATIO = 0.005;
// Issue 13: a fast provider (50 requests/s × 100 emails) is used at the pipeline's full speed.
const GOAL_EMAILS_PER_SECOND = 2_500;
const GOAL_BARE_RATIO = 0.5;
const GOAL_FAST_EXECUTIONS_PER_1000 = 3;
const GOAL_RSS_MB = 512;

const { values: flags } = parseArgs({ options: { recipients: { type: "string" }, rps: { type: "string" }, chunk: { type: "string" } } });
const recipients = Number(flags.recipients ?? 100_000);
const rps = Number(flags.rps ?? 2);
const chunk = Number(flags.chunk ?? 1_000);
for (const [name, value] of [["--recipients", recipients], ["--rps", rps], ["--chunk", chunk]] as const) {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(", ");
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main() {
  const bundle = await bundleWorker(WORKER, "sendline-bench-campaign");
  let resend = await startFakeResend({ rateLimit: { requests: rps, windowMs: 1_000 }, keepBodies: false });
  const enginePort = await freePort();
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  // Read by the app's modules when they load (here and in the worker): set before importing them.
  Object.assign(process.env, {
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    EMAIL_PROVIDER_RPS: String(rps),
    CAMPAIGN_CHUNK_SIZE: String(chunk),
    WORKSPACE_STARTING_CREDITS: String(recipients),
    // The worker's events and step checkpoints go to the engine here.
    INNGEST_DEV: engineUrl,
    SENDLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-data-")),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  delete process.env.DATABASE_URL;
  delete process.env.INNGEST_BASE_URL;
  delete process.env.INNGEST_EVENT_API_BASE_URL;
  const database = await benchDatabase(serverUrl, "sendline-bench-campaign");
  const { openDatabase } = await import("@/db");
  const { createEngine } = await import("@/engine");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { seedCampaignAudience } = await import("@/test/support/campaign-audience");
  const { insertCampaign } = await import("@/db/queries/campaigns");
  const { campaignSettings } = await import("@/lib/campaigns/campaign-settings");

  let engine: ReturnType<typeof createEngine> | undefined;
  const workers: { kill(): Promise<void> }[] = [];
  try {
    // The audience and the campaign, written before the worker opens the database (PGlite admits
    // one process at a time).
    const setup = openDatabase(database.app);
    await setup.migrate();
    const { workspace } = await createWorkspace(setup.db, { name: "Campaign benchmark" });
    let started = performance.now();
    const { listId, templateId } = await seedCampaignAudience(setup.db, { workspaceId: workspace.id, size: recipients, prefix: "b" });
    const campaign = await insertCampaign(setup.db, { workspaceId: workspace.id, name: "Benchmark", channel: "email", templateId, audience: { listId } });
    await setup.close();
    console.log(`Campaign benchmark: ${fmt(recipients)} recipients, chunks of ${fmt(chunk)}, provider limit ${rps} requests/s × 100 emails; ${database.label}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${loadAverage()}. Audience seeded in ${fmt((performance.now() - started) / 1000, 1)} s.`);
    console.log(`The app runs in a process of its own (serve() on loopback HTTP); the engine and the fake Resend run in this one.\n`);

    const app = spawnWorker<CampaignWorkerResult>(bundle, ["campaign", JSON.stringify(database.app), workspace.id, campaign.id], process.env);
    workers.push(app);
    const ready = await app.line<{ url: string }>("BENCH_READY ");
    engine = createEngine({
      port: enginePort,
      database: database.engine,
      appUrl: ready.url,
      // The engine's earlier default (1 s, doubling): a retried send must not stall the bench for Inngest's 15 s+.
      backoff: (attempt) => 1000 * 2 ** attempt,
      logger: { info() {}, warn: (message, extra) => console.warn(`  [engine] ${message}`, extra ?? ""), error: (message, extra) => console.error(`  [engine] ${message}`, extra ?? "") },
    });
    await engine.start();
    await engine.sync();
    const engineCpuBefore = process.cpuUsage();
    started = performance.now();
    app.child.stdin.end("BENCH_START\n");
    const sent = await app.result();
    const engineCpu = process.cpuUsage(engineCpuBefore);
    const engineCpuSeconds = (engineCpu.user + engineCpu.system) / 1e6;
    const loadAfterCampaign = loadAverage();
    // Let the last completion and finalize runs end before counting executions.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const runs = await engine.listRuns({ limit: 1_000_000 });
    const steps = runs.reduce((sum, run) => sum + Object.keys(run.steps ?? {}).length, 0);
    const executions = runs.length + steps;
    const requests = resend.requests.filter((r) => r.path.startsWith("/emails"));
    const accepted = requests.filter((r) => r.status === 200);
    const limited = requests.filter((r) => r.status === 429).length;
    const span = accepted.length > 1 ? (accepted.at(-1)!.atMs - accepted[0]!.atMs) / 1000 + 1 / rps : 0;
    const utilisation = span > 0 ? accepted.length / (span * rps) : 0;
    const final = sent.progress;
    const duplicates = resend.duplicateSends().length;
    const byFn = new Map<string, number>();
    for (const run of runs) byFn.set(run.fn_id, (byFn.get(run.fn_id) ?? 0) + 1);
    const wall = sent.seconds;
    const campaignRate = final.sent / wall;

    console.log(`\n  outcome                     ${sent.status}: sent ${fmt(final.sent)}, suppressed ${fmt(final.suppressed)}, failed ${fmt(final.failed)} of ${fmt(final.audience)}; emails at the fake ${fmt(resend.counters.accepted)}`);
    console.log(`  wall time                   ${fmt(wall, 1)} s, the "send" call to the campaign's end (the provider's limit alone needs ${fmt(recipients / (rps * 100), 1)} s)`);
    console.log(`  runs                        ${fmt(runs.length)} (${[...byFn].map(([fn, n]) => `${fn.replace(/^sendline-/, "")} ${n}`).join(", ")})`);
    console.log(`  executions (runs + steps)   ${fmt(executions)} = ${fmt((executions * 1000) / recipients, 2)} per 1,000 recipients`);
    console.log(`  provider requests           ${fmt(accepted.length)} accepted over ${fmt(span, 1)} s, ${fmt(limited)} answered 429 (${fmt((limited * 100) / Math.max(1, requests.length), 2)} %)`);
    console.log(`  rate-limit utilisation      ${fmt(utilisation * 100, 1)} % of ${rps} requests/s`);
    console.log(`  duplicates                  ${duplicates} emails sent twice; ${resend.counters.duplicates} requests answered from the idempotency store`);
    console.log(`  campaign throughput         ${fmt(campaignRate)} emails/s (load average ${loadAfterCampaign} at its end)`);
    console.log(`  app process                 CPU ${fmt(sent.cpuSeconds, 1)} s (${fmt((sent.cpuSeconds * 100) / wall)} % of one core); peak RSS ${fmt(sent.maxRssMb)} MB (ru_maxrss; sampled ${fmt(sent.sampledPeakRssMb)} MB)`);
    console.log(`  engine and fake process     CPU ${fmt(engineCpuSeconds, 1)} s (${fmt((engineCpuSeconds * 100) / wall)} % of one core)`);
    await engine.stop();
    engine = undefined;
    await resend.stop();

    // The bare loop: the same work without the engine and the database, from the same kind of
    // process, to a fresh fake here.
    const settings = campaignSettings();
    const lanes = settings.chunkRunsPerWorkspace * settings.emailPartsInFlight;
    resend = await startFakeResend({ rateLimit: { requests: rps, windowMs: 1_000 }, keepBodies: false });
    const bareWorker = spawnWorker<BareWorkerResult>(bundle, ["bare", JSON.stringify(database.app), workspace.id, templateId, String(lanes)], {
      ...process.env,
      RESEND_API_KEY: resend.apiKey,
      RESEND_BASE_URL: resend.url,
    });
    workers.push(bareWorker);
    bareWorker.child.stdin.end();
    const bare = await bareWorker.result();
    const bareRate = bare.emails / bare.seconds;
    const ratio = campaignRate / bareRate;
    console.log(
      `  bare loop                   ${fmt(bare.emails)} emails in ${fmt(bare.seconds, 1)} s = ${fmt(bareRate)} emails/s (${lanes} batches at once, ${bare.rateLimited} answered 429; CPU ${fmt(bare.cpuSeconds, 1)} s; peak RSS ${fmt(bare.maxRssMb)} MB; load average ${loadAverage()})`,
    );
    console.log(`  campaign ÷ bare loop        ${fmt(ratio, 2)}`);

    console.log("\nGoals (DESIGN.md):");
    const per1000 = (executions * 1000) / recipients;
    const rssMb = sent.maxRssMb;
    console.log(`  ≤ ${GOAL_EXECUTIONS_PER_1000} executions per 1,000 recipients: ${fmt(per1000, 2)} → ${per1000 <= GOAL_EXECUTIONS_PER_1000 ? "MET" : "NOT MET"}`);
    // Utilisation is the goal where the provider is the limit (Resend's default 2 requests/s);
    // with a fast provider the pipeline is, and emails/s and the bare-loop ratio are the goals.
    const limitedProvider = rps * campaignSettings().emailBatchSize < GOAL_EMAILS_PER_SECOND;
    console.log(
      `  ≥ ${GOAL_UTILISATION * 100} % rate-limit utilisation: ${fmt(utilisation * 100, 1)} % → ${limitedProvider ? (utilisation >= GOAL_UTILISATION ? "MET" : "NOT MET") : "not a goal with a provider this fast"}`,
    );
    console.log(`  < ${GOAL_429_RATIO * 100} % 429s: ${fmt((limited * 100) / Math.max(1, requests.length), 2)} % → ${limited / Math.max(1, requests.length) < GOAL_429_RATIO ? "MET" : "NOT MET"}`);
    console.log(`  0 duplicates: ${duplicates} → ${duplicates === 0 ? "MET" : "NOT MET"}`);
    console.log(`  ≥ ${fmt(GOAL_EMAILS_PER_SECOND)} emails/s (a 50 requests/s provider): ${fmt(campaignRate)} → ${campaignRate >= GOAL_EMAILS_PER_SECOND ? "MET" : "NOT MET"}${rps * settings.emailBatchSize < GOAL_EMAILS_PER_SECOND ? ` (out of reach: the provider's limit is ${fmt(rps * settings.emailBatchSize)} emails/s)` : ""}`);
    console.log(`  ≥ ${GOAL_BARE_RATIO} × the bare loop: ${fmt(ratio, 2)} → ${ratio >= GOAL_BARE_RATIO ? "MET" : "NOT MET"}`);
    console.log(`  ≤ ${GOAL_FAST_EXECUTIONS_PER_1000} executions per 1,000 recipients: ${fmt(per1000, 2)} → ${per1000 <= GOAL_FAST_EXECUTIONS_PER_1000 ? "MET" : "NOT MET"}`);
    console.log(`  the app's peak RSS ≤ ${GOAL_RSS_MB} MB: ${fmt(rssMb)} MB → ${rssMb <= GOAL_RSS_MB ? "MET" : "NOT MET"}`);
  } finally {
    for (const worker of workers) await worker.kill();
    await engine?.stop().catch(() => {});
    await resend.stop().catch(() => {});
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
