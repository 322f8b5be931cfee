/**
 * Journeys benchmark (issue 17: "a 100k-contact segment entry is enrolled by fan-out, not one by
 * one"). Seeds --contacts contacts (default 100,000) in a segment (plus a tenth as many outside
 * it), publishes a segment-triggered journey, and runs the real functions' handlers in this
 * process with a step tool that executes each step once (as Inngest does; the engine's own cost
 * per step is what bench:engine measures — @inngest/test's engine re-runs the handler for every
 * step, which at 200 steps measures itself, not the path):
 *   - enroll-journey-segment (publish): every member enrolled and recorded as seen;
 *   - evaluate-journey-segment (the 15-minute cron) with nobody new, then with 1% new members.
 * For each it prints the function runs and steps used against the contacts handled (steps per
 * 1,000 contacts), the start events it batched, and the wall time next to a floor measured in the
 * same run on the same database: the same rows written by one plain INSERT … SELECT into
 * journey_enrollments (no re-entry check, no member state, no steps). The enrollments' own runs
 * (one per contact, O(steps of the journey) each) are started by those events and not run here.
 * Figures only; a missed goal is printed, never an error.
 *
 *   npm run bench:journeys -- [--contacts 100000] [--postgres]
 * --postgres: a fresh database on BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * dropped after; unreachable → PGlite. Default: PGlite in a temp dir, in this process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { benchDatabase } from "@/bench/bench-database";
import { startEventRecorder } from "@/test/support/event-recorder";

/** Fan-out: at most this many steps per 1,000 contacts (a page of 1,000 is one step.run and one step.sendEvent). */
const GOAL_STEPS_PER_1000 = 3;

const { values: flags } = parseArgs({ options: { contacts: { type: "string" }, postgres: { type: "boolean" } } });
const contactCount = Number((flags.contacts ?? process.env.BENCH_CONTACTS ?? "100000").replaceAll("_", "").replaceAll(",", ""));
if (!Number.isInteger(contactCount) || contactCount <= 0) throw new Error(`--contacts must be a positive whole number, got ${flags.contacts}`);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const rows = (result: unknown) => ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Record<string, unknown>[];

async function main() {
  // The app's getDatabase() reads its target from the environment: set it before first use.
  let drop = async () => {};
  let label = "PGlite (in-process, file-backed)";
  if (flags.postgres) {
    const bench = await benchDatabase(serverUrl, "sendline-bench-journeys");
    drop = () => bench.drop();
    label = bench.label;
    if ("url" in bench.app) process.env.DATABASE_URL = bench.app.url;
    else {
      delete process.env.DATABASE_URL;
      process.env.SENDLINE_DATA_DIR = path.dirname(bench.app.pgliteDir);
    }
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-bench-journeys-"));
    delete process.env.DATABASE_URL;
    process.env.SENDLINE_DATA_DIR = dir;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  process.env.LOG_LEVEL ??= "warn";
  // Start events go to a loopback stand-in of Inngest's event API, which counts them.
  const recorder = await startEventRecorder();
  process.env.INNGEST_DEV = recorder.url;
  const { getDatabase } = await import("@/db");
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { insertSegment } = await import("@/db/queries/segments");
  const { insertJourney } = await import("@/db/queries/journeys");
  const { publishJourney } = await import("@/lib/journeys/manage-journey");
  const { countSegmentMembers } = await import("@/db/queries/journey-segment-members");
  const { enrollJourneySegment } = await import("@/inngest/functions/journeys/enroll-journey-segment");
  const { evaluateJourneySegment } = await import("@/inngest/functions/journeys/evaluate-journey-segment");
  const database = await getDatabase();
  try {
    const { db } = database;
    console.log(`Journeys benchmark on ${label}: ${fmt(contactCount)} contacts entering a segment`);
    const seedStarted = performance.now();
    const { workspace } = await createWorkspace(db, { name: "Journeys benchmark" });
    const workspaceId = workspace.id;
    const seedContacts = (from: number, count: number, plan: string) =>
      db.execute(sql`
        insert into contacts (workspace_id, email, attributes)
        select ${workspaceId}, 'c' || g || '@example.com', jsonb_build_object('plan', ${plan}::text)
        from generate_series(${from}::int, ${from + count - 1}::int) g`);
    await seedContacts(1, contactCount, "pro");
    await seedContacts(contactCount + 1, Math.ceil(contactCount / 10), "free");
    const segmentId = (await insertSegment(db, { workspaceId, name: "Pro", filter: { attribute: "plan", op: "eq", value: "pro" } }))!.id;
    const graph = { trigger: { type: "segment", segmentId }, reentry: { mode: "never" }, start: "done", nodes: [{ id: "done", type: "exit" }] };
    const journey = async (name: string) => {
      const now = new Date();
      const row = await insertJourney(db, { workspaceId, name, draft: graph, savedBy: "bench", now });
      const published = await publishJourney(db, { workspaceId, journeyId: row.id, publishedBy: "bench", now });
      if (!published.ok) throw new Error(JSON.stringify(published));
      return { journeyId: row.id, version: published.version };
    };
    const floorJourney = await journey("Floor");
    const realJourney = await journey("Real");
    await db.execute(sql`analyze`);
    console.log(`  seeded in ${fmt((performance.now() - seedStarted) / 1000, 1)} s`);

    // The floor: the same rows in one statement, straight from the segment's predicate.
    const floorStarted = performance.now();
    await db.execute(sql`
      insert into journey_enrollments (workspace_id, journey_id, version, contact_id, status, current_step_id, trigger, entered_at)
      select workspace_id, ${floorJourney.journeyId}::uuid, 1, id, 'active', 'done', '{"kind":"segment"}'::jsonb, ${new Date().toISOString()}::timestamptz
      from contacts where workspace_id = ${workspaceId} and attributes ->> 'plan' = 'pro'`);
    const floorMs = performance.now() - floorStarted;

    const { inngest } = await import("@/inngest/client");
    /**
     * Runs a function's handler once with a step tool that executes each step once, in order —
     * what Inngest's engine asks of the app per step (its own cost per step is bench:engine's) —
     * and counts the steps. sendEvent goes through the real client to the loopback recorder.
     */
    const run = async (fn: typeof enrollJourneySegment | typeof evaluateJourneySegment, name: string) => {
      const handler = (fn as unknown as { fn: (ctx: unknown) => Promise<unknown> }).fn;
      let steps = 0;
      const step = {
        run: async (_id: string, body: () => Promise<unknown>) => {
          steps++;
          // As Inngest hands a step's output back: through JSON.
          return JSON.parse(JSON.stringify((await body()) ?? null));
        },
        sendEvent: async (_id: string, events: Parameters<typeof inngest.send>[0]) => {
          steps++;
          return inngest.send(events);
        },
      };
      const sentBefore = recorder.events.length;
      const started = performance.now();
      const result = await handler({ event: { name, data: { workspaceId, ...realJourney } }, step, runId: `bench-${name}`, attempt: 0 });
      const ms = performance.now() - started;
      return { ms, steps, events: recorder.events.length - sentBefore, result: result as Record<string, number> };
    };
    const count = async (query: ReturnType<typeof sql>) => Number(rows(await db.execute(query))[0]!.n);
    const enrollments = () => count(sql`select count(*)::int n from journey_enrollments where journey_id = ${realJourney.journeyId}`);

    const report = (title: string, contacts: number, runResult: { ms: number; steps: number }, events: number, floor?: number) => {
      const perThousand = (runResult.steps / contacts) * 1_000;
      console.log(`\n${title}`);
      console.log(`  ${fmt(contacts)} contacts by 1 run / ${fmt(runResult.steps)} steps: ${fmt(perThousand, 2)} steps per 1,000 contacts (goal ≤ ${GOAL_STEPS_PER_1000}${perThousand > GOAL_STEPS_PER_1000 ? ", MISSED" : ""}); one run per contact to enumerate would be ${fmt(contacts)} runs`);
      console.log(`  ${fmt(events)} start events sent in batches; wall ${fmt(runResult.ms / 1000, 2)} s (${fmt(contacts / (runResult.ms / 1000))} contacts/s)`);
      if (floor !== undefined) {
        const ratio = runResult.ms / floor;
        console.log(`  floor (one INSERT … SELECT of the same ${fmt(contactCount)} rows): ${fmt(floor / 1000, 2)} s → ${fmt(ratio, 1)}× the floor`);
      }
    };

    const publish = await run(enrollJourneySegment, "journey/segment-enrollment.requested");
    const enrolled = await enrollments();
    report(`Publish (enroll-journey-segment): ${fmt(enrolled)} enrollments, ${fmt(await countSegmentMembers(db, realJourney))} members recorded`, contactCount, publish, publish.events, floorMs);
    if (enrolled !== contactCount) console.log(`  !! expected ${fmt(contactCount)} enrollments, found ${fmt(enrolled)}`);

    const idle = await run(evaluateJourneySegment, "journey/segment-evaluation.requested");
    report(`Re-evaluation, nobody new (evaluate-journey-segment): ${fmt(idle.result.entered ?? 0)} entered, ${fmt(idle.result.left ?? 0)} left`, contactCount, idle, idle.events);

    const newcomers = Math.max(1, Math.round(contactCount / 100));
    await seedContacts(contactCount * 2, newcomers, "pro");
    const entering = await run(evaluateJourneySegment, "journey/segment-evaluation.requested");
    report(
      `Re-evaluation, ${fmt(newcomers)} joined (evaluate-journey-segment): ${fmt(entering.result.entered ?? 0)} entered, ${fmt(entering.result.enrolled ?? 0)} enrolled`,
      contactCount + newcomers,
      entering,
      entering.events,
      floorMs,
    );
    const total = await enrollments();
    if (total !== contactCount + newcomers) console.log(`  !! expected ${fmt(contactCount + newcomers)} enrollments, found ${fmt(total)}`);
  } finally {
    await database.close();
    await recorder.stop();
    await drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
