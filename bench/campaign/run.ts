/**
 * Campaign benchmark (DESIGN.md "Performance goals"): an email campaign to N recipients through
 * the local engine and the app's real serve() route, sending with the real Resend SDK to a
 * loopback fake of the Resend API that enforces its rate limit and records idempotency keys.
 * Prints Inngest executions (runs + steps) per 1,000 recipients, provider rate-limit
 * utilisation, 429s, duplicates, wall time and emails/s, and the same figure for a *bare loop*
 * run after the campaign: the same recipients rendered and tracked by the same code
 * (renderCampaignEmail), posted in the same batches through the same Resend provider to a fresh
 * fake with the same limit, as many batches at once as the pipeline may have
 * (chunkRunsPerWorkspace × emailPartsInFlight), paced in memory — no engine, no database.
 * The campaign ÷ bare-loop ratio is what durability and bookkeeping cost.
 * Peak RSS is sampled (process.memoryUsage().rss every 100 ms) during the campaign: the app,
 * the engine, the fake provider and the bench share this process, so it is an upper bound on
 * the app's own. A missed goal is reported, never an error.
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
import { parseArgs } from "node:util";
import { benchDatabase } from "@/bench/bench-database";
import { startFakeResend } from "@/test/fakes/fake-resend";
import { freePort } from "@/test/support/free-port";

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
const mb = (bytes: number) => bytes / 1024 / 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main() {
  // Bodies are dropped once accepted: the fake shares the process whose peak RSS is reported.
  const resend = await startFakeResend({ rateLimit: { requests: rps, windowMs: 1_000 }, keepBodies: false });
  const port = await freePort();
  // Read by the app modules when they load: set before importing them.
  Object.assign(process.env, {
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    EMAIL_PROVIDER_RPS: String(rps),
    CAMPAIGN_CHUNK_SIZE: String(chunk),
    WORKSPACE_STARTING_CREDITS: String(recipients),
    INNGEST_DEV: `http://127.0.0.1:${port}`,
    SENDLINE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-data-")),
  });
  delete process.env.DATABASE_URL;
  const database = await benchDatabase(serverUrl, "sendline-bench-campaign");
  const { openDatabase, setDatabase } = await import("@/db");
  const { createEngine } = await import("@/engine");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { seedCampaignAudience } = await import("@/test/support/campaign-audience");
  const route = await import("@/app/api/inngest/route");
  const { insertCampaign, getCampaign } = await import("@/db/queries/campaigns");
  const { applyCampaignAction } = await import("@/lib/campaigns/campaign-actions");
  const { sendCampaignEvents } = await import("@/app/_lib/send-campaign-events");
  const { campaignProgress } = await import("@/db/queries/campaign-recipients");
  const { getTemplate } = await import("@/db/queries/templates");
  const { contacts } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const { compileTemplate } = await import("@/lib/templates/compile-template");
  const { campaignSettings } = await import("@/lib/campaigns/campaign-settings");
  const { ResendEmailProvider } = await import("@/lib/providers/email/resend/resend-email-provider");
  const { defaultEmailFrom } = await import("@/lib/notifications/default-email-from");
  const { publicUrl } = await import("@/lib/config/public-url");
  const { runBareLoop } = await import("./bare-loop");

  const app = openDatabase(database.app);
  const quiet = { info() {}, warn() {}, error: (message: string, extra?: unknown) => console.error(message, extra ?? "") };
  const engine = createEngine({
    port,
    database: database.engine,
    appUrl: "http://127.0.0.1:3000/api/inngest",
    handler: (request) => route[request.method as "GET" | "POST" | "PUT"](request as never, undefined as never),
    // The engine's earlier default (1 s, doubling): a retried send must not stall the bench for Inngest's 15 s+.
    backoff: (attempt) => 1000 * 2 ** attempt,
    logger: quiet,
  });
  try {
    await app.migrate();
    setDatabase(app);
    await engine.start();
    await engine.sync();
    const { workspace } = await createWorkspace(app.db, { name: "Campaign benchmark" });
    let started = performance.now();
    const { listId, templateId } = await seedCampaignAudience(app.db, { workspaceId: workspace.id, size: recipients, prefix: "b" });
    console.log(`Campaign benchmark: ${fmt(recipients)} recipients, chunks of ${fmt(chunk)}, provider limit ${rps} requests/s × 100 emails; ${database.label}`);
    console.log(`Machine: ${os.cpus().length} CPUs, load average ${loadAverage()}. Audience seeded in ${fmt((performance.now() - started) / 1000, 1)} s.\n`);

    const campaign = await insertCampaign(app.db, { workspaceId: workspace.id, name: "Benchmark", channel: "email", templateId, audience: { listId } });
    const cpuBefore = process.cpuUsage();
    let rssPeak = process.memoryUsage().rss;
    const rssSampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);
    started = performance.now();
    const outcome = await applyCampaignAction(app.db, campaign, "send");
    if (!outcome.ok) throw new Error(`could not send: ${outcome.status}`);
    if (await sendCampaignEvents(outcome.events)) throw new Error("could not queue the campaign");
    let last = "";
    for (;;) {
      const row = (await getCampaign(app.db, { workspaceId: workspace.id, campaignId: campaign.id }))!;
      const progress = await campaignProgress(app.db, { campaignId: campaign.id });
      const line = `  ${row.status}: ${fmt(progress.sent)} sent, ${fmt(progress.chunksDone)}/${fmt(progress.chunks)} chunks, ${fmt((performance.now() - started) / 1000)} s`;
      if (line !== last && Math.floor((performance.now() - started) / 10_000) !== Math.floor((performance.now() - started - 1_000) / 10_000)) console.log(line);
      last = line;
      if (row.status !== "sending") break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const wall = (performance.now() - started) / 1000;
    const loadAfterCampaign = loadAverage();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    // Let the last completion and finalize runs end before counting executions.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    clearInterval(rssSampler);

    const runs = await engine.listRuns({ limit: 1_000_000 });
    const steps = runs.reduce((sum, run) => sum + Object.keys(run.steps ?? {}).length, 0);
    const executions = runs.length + steps;
    const requests = resend.requests.filter((r) => r.path.startsWith("/emails"));
    const accepted = requests.filter((r) => r.status === 200);
    const limited = requests.filter((r) => r.status === 429).length;
    const span = accepted.length > 1 ? (accepted.at(-1)!.atMs - accepted[0]!.atMs) / 1000 + 1 / rps : 0;
    const utilisation = span > 0 ? accepted.length / (span * rps) : 0;
    const final = await campaignProgress(app.db, { campaignId: campaign.id });
    const duplicates = resend.duplicateSends().length;
    const byFn = new Map<string, number>();
    for (const run of runs) byFn.set(run.fn_id, (byFn.get(run.fn_id) ?? 0) + 1);

    console.log(`\n  outcome                     sent ${fmt(final.sent)}, suppressed ${fmt(final.suppressed)}, failed ${fmt(final.failed)} of ${fmt(final.audience)}; emails at the fake ${fmt(resend.counters.accepted)}`);
    console.log(`  wall time                   ${fmt(wall, 1)} s (the provider's limit alone needs ${fmt(recipients / (rps * 100), 1)} s)`);
    console.log(`  runs                        ${fmt(runs.length)} (${[...byFn].map(([fn, n]) => `${fn.replace(/^sendline-/, "")} ${n}`).join(", ")})`);
    console.log(`  executions (runs + steps)   ${fmt(executions)} = ${fmt((executions * 1000) / recipients, 2)} per 1,000 recipients`);
    console.log(`  provider requests           ${fmt(accepted.length)} accepted over ${fmt(span, 1)} s, ${fmt(limited)} answered 429 (${fmt((limited * 100) / Math.max(1, requests.length), 2)} %)`);
    console.log(`  rate-limit utilisation      ${fmt(utilisation * 100, 1)} % of ${rps} requests/s`);
    console.log(`  duplicates                  ${duplicates} emails sent twice; ${resend.counters.duplicates} requests answered from the idempotency store`);
    console.log(`  campaign throughput         ${fmt(final.sent / wall)} emails/s (load average ${loadAfterCampaign} at its end)`);
    console.log(`  process CPU                 ${fmt(cpuSeconds, 1)} s during the campaign (${fmt((cpuSeconds * 100) / wall)} % of one core; app, engine and fake)`);
    console.log(`  peak RSS                    ${fmt(mb(rssPeak))} MB (sampled during the campaign; app, engine, fake and bench share the process)`);

    // The bare loop: the same work without the engine and the database, on a fresh fake.
    const settings = campaignSettings();
    const lanes = settings.chunkRunsPerWorkspace * settings.emailPartsInFlight;
    const template = (await getTemplate(app.db, { workspaceId: workspace.id, templateId }))!;
    const audience = await app.db.select().from(contacts).where(eq(contacts.workspaceId, workspace.id)).orderBy(contacts.id);
    await resend.stop();
    await engine.stop();
    const bareFake = await startFakeResend({ rateLimit: { requests: rps, windowMs: 1_000 }, keepBodies: false });
    const bareCpuBefore = process.cpuUsage();
    const bare = await runBareLoop({
      provider: new ResendEmailProvider({ apiKey: bareFake.apiKey, baseUrl: bareFake.url }),
      compiled: compileTemplate(template),
      contacts: audience,
      batchSize: settings.emailBatchSize,
      requestsPerSecond: rps,
      lanes,
      baseUrl: publicUrl(),
      from: defaultEmailFrom(),
      workspaceId: workspace.id,
    }).finally(() => bareFake.stop());
    const bareCpu = process.cpuUsage(bareCpuBefore);
    const bareCpuSeconds = (bareCpu.user + bareCpu.system) / 1e6;
    const bareRate = bare.emails / bare.seconds;
    const campaignRate = final.sent / wall;
    const ratio = campaignRate / bareRate;
    console.log(`  bare loop                   ${fmt(bare.emails)} emails in ${fmt(bare.seconds, 1)} s = ${fmt(bareRate)} emails/s (${lanes} batches at once, ${bare.rateLimited} answered 429; process CPU ${fmt(bareCpuSeconds, 1)} s; load average ${loadAverage()})`);
    console.log(`  campaign ÷ bare loop        ${fmt(ratio, 2)}`);

    console.log("\nGoals (DESIGN.md):");
    const per1000 = (executions * 1000) / recipients;
    console.log(`  ≤ ${GOAL_EXECUTIONS_PER_1000} executions per 1,000 recipients: ${fmt(per1000, 2)} → ${per1000 <= GOAL_EXECUTIONS_PER_1000 ? "MET" : "NOT MET"}`);
    console.log(`  ≥ ${GOAL_UTILISATION * 100} % rate-limit utilisation: ${fmt(utilisation * 100, 1)} % → ${utilisation >= GOAL_UTILISATION ? "MET" : "NOT MET"}`);
    console.log(`  < ${GOAL_429_RATIO * 100} % 429s: ${fmt((limited * 100) / Math.max(1, requests.length), 2)} % → ${limited / Math.max(1, requests.length) < GOAL_429_RATIO ? "MET" : "NOT MET"}`);
    console.log(`  0 duplicates: ${duplicates} → ${duplicates === 0 ? "MET" : "NOT MET"}`);
    console.log(`  ≥ ${fmt(GOAL_EMAILS_PER_SECOND)} emails/s (a 50 requests/s provider): ${fmt(campaignRate)} → ${campaignRate >= GOAL_EMAILS_PER_SECOND ? "MET" : "NOT MET"}${rps * settings.emailBatchSize < GOAL_EMAILS_PER_SECOND ? ` (out of reach: the provider's limit is ${fmt(rps * settings.emailBatchSize)} emails/s)` : ""}`);
    console.log(`  ≥ ${GOAL_BARE_RATIO} × the bare loop: ${fmt(ratio, 2)} → ${ratio >= GOAL_BARE_RATIO ? "MET" : "NOT MET"}`);
    console.log(`  ≤ ${GOAL_FAST_EXECUTIONS_PER_1000} executions per 1,000 recipients: ${fmt(per1000, 2)} → ${per1000 <= GOAL_FAST_EXECUTIONS_PER_1000 ? "MET" : "NOT MET"}`);
    console.log(`  peak RSS ≤ ${GOAL_RSS_MB} MB: ${fmt(mb(rssPeak))} MB → ${mb(rssPeak) <= GOAL_RSS_MB ? "MET" : "NOT MET"}`);
  } finally {
    await engine.stop().catch(() => {});
    setDatabase(undefined);
    await app.close().catch(() => {});
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
