/**
 * The measured side of bench:campaign, in its own process (run.ts bundles and spawns it), so the
 * CPU and RSS it reports are the app's alone; the engine and the fake Resend live in run.ts's
 * process, as Inngest and Resend live elsewhere in production.
 *
 *   worker.mjs campaign '<database json>' <workspaceId> <campaignId>
 *     Hosts the app's real serve() route on loopback HTTP and prints `BENCH_READY {url}`; on a
 *     `BENCH_START` line on stdin it does what the campaign's "send" API call does (the action
 *     and its events, sent to the engine named by INNGEST_DEV), then lets the engine drive the
 *     campaign through the route until the campaign has ended.
 *   worker.mjs bare '<database json>' <workspaceId> <templateId> <lanes>
 *     The bare loop (bare-loop.ts) over the same audience and template.
 *
 * Either prints one `BENCH_RESULT {json}` line: wall time, CPU time and peak RSS, and the outcome.
 */
import { createInterface } from "node:readline";
import { eq } from "drizzle-orm";
import { rssSampler } from "@/bench/bench-worker";
import { serveApp } from "@/bench/serve-app";
import { type OpenOptions, openDatabase, setDatabase } from "@/db";
import { campaignProgress, type CampaignProgress } from "@/db/queries/campaign-recipients";
import { getCampaign } from "@/db/queries/campaigns";
import { getTemplate } from "@/db/queries/templates";
import { contacts } from "@/db/schema";
import { campaignEvent } from "@/inngest/campaign-event";
import { inngest } from "@/inngest/client";
import { applyCampaignAction } from "@/lib/campaigns/campaign-actions";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { publicUrl } from "@/lib/config/public-url";
import { defaultEmailFrom } from "@/lib/notifications/default-email-from";
import { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import { compileTemplate } from "@/lib/templates/compile-template";
import { type BareLoopResult, runBareLoop } from "./bare-loop";

type Measured = { seconds: number; cpuSeconds: number; maxRssMb: number; sampledPeakRssMb: number };
export type CampaignWorkerResult = Measured & { status: string; progress: CampaignProgress };
export type BareWorkerResult = Measured & BareLoopResult;

/** Resolves on the parent's first line starting with `prefix`. */
function parentSays(prefix: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => line.startsWith(prefix) && (resolve(), lines.close()));
    lines.on("close", () => reject(new Error(`stdin closed before ${prefix}: the parent gave up`)));
  });
}

function measure() {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

async function campaign(options: OpenOptions, workspaceId: string, campaignId: string, rss: ReturnType<typeof rssSampler>): Promise<CampaignWorkerResult> {
  const database = openDatabase(options);
  setDatabase(database);
  const route = await import("@/app/api/inngest/route");
  const app = await serveApp(route, { path: "/api/inngest" });
  try {
    process.stdout.write(`BENCH_READY ${JSON.stringify({ url: app.url })}\n`);
    await parentSays("BENCH_START");
    const ids = { workspaceId, campaignId };
    const stop = measure();
    const started = performance.now();
    const outcome = await applyCampaignAction(database.db, (await getCampaign(database.db, ids))!, "send");
    if (!outcome.ok) throw new Error(`could not send: ${outcome.status}`);
    // What the API route then does (app/_lib/send-campaign-events.ts, which needs Next's runtime).
    await inngest.send(outcome.events.map(campaignEvent));
    let reported = 0;
    for (;;) {
      const row = (await getCampaign(database.db, ids))!;
      if (row.status !== "sending") {
        const measured = stop();
        return { ...measured, ...rss.stop(), status: row.status, progress: await campaignProgress(database.db, { campaignId }) };
      }
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed - reported >= 10) {
        reported = elapsed;
        const progress = await campaignProgress(database.db, { campaignId });
        console.log(`sending: ${progress.sent.toLocaleString("en-US")} sent, ${progress.chunksDone}/${progress.chunks} chunks`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await app.close();
    setDatabase(undefined);
    await database.close();
  }
}

async function bare(options: OpenOptions, workspaceId: string, templateId: string, lanes: number, rss: ReturnType<typeof rssSampler>): Promise<BareWorkerResult> {
  const database = openDatabase(options);
  try {
    const template = (await getTemplate(database.db, { workspaceId, templateId }))!;
    const audience = await database.db.select().from(contacts).where(eq(contacts.workspaceId, workspaceId)).orderBy(contacts.id);
    const stop = measure();
    const result = await runBareLoop({
      provider: new ResendEmailProvider({ apiKey: process.env.RESEND_API_KEY!, baseUrl: process.env.RESEND_BASE_URL! }),
      compiled: compileTemplate(template),
      contacts: audience,
      batchSize: campaignSettings().emailBatchSize,
      requestsPerSecond: Number(process.env.EMAIL_PROVIDER_RPS),
      lanes,
      baseUrl: publicUrl(),
      from: defaultEmailFrom(),
      workspaceId,
    });
    return { ...result, ...stop(), ...rss.stop() };
  } finally {
    await database.close();
  }
}

async function main() {
  const rss = rssSampler();
  const [task, options, first, second, third] = process.argv.slice(2);
  if (!options || !first || !second) throw new Error("usage: worker.ts campaign|bare '<database json>' <workspaceId> <campaignId|templateId> [lanes]");
  const database = JSON.parse(options) as OpenOptions;
  let result: CampaignWorkerResult | BareWorkerResult;
  if (task === "campaign") result = await campaign(database, first, second, rss);
  else if (task === "bare") result = await bare(database, first, second, Number(third), rss);
  else throw new Error(`unknown task ${task}`);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
