import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { auditLog, contacts, messages, retentionRuns, webhookEvents } from "@/db/schema";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { type RetentionWorld, seedRetentionWorld } from "@/test/lib/lifecycle/retention-world";
import { useTestClock } from "@/test/support/test-clock";

/**
 * A retention policy end to end through the engine, with time moved for the app and the engine
 * together: the policy is set through the API (confirmed past the share), the clock moves 26
 * days, the daily cron fires, plans a run for the enabled workspace only, and
 * apply-retention-policy applies every rule in batches, records the counts and audits the run.
 */
const DAY_MS = 86_400_000;

let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let policyRoute: typeof import("@/app/api/v1/retention-policy/route");
let mine: RetentionWorld;
let disabled: RetentionWorld;
const T0 = new Date();

beforeAll(async () => {
  useTestClock(T0);
  // Batches of 1 row: every rule takes several steps, as a large workspace's would.
  vi.stubEnv("RETENTION_BATCH_ROWS", "1");
  database = await useTestDatabase();
  mine = await seedRetentionWorld(database.db, { name: "Retained", now: T0 });
  disabled = await seedRetentionWorld(database.db, { name: "Disabled", now: T0 });
  app = await startAppEngine();
  policyRoute = await import("@/app/api/v1/retention-policy/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

/** Makes the engine's next firing of a cron function due now (what waiting for the schedule would do). */
async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}

const put = (apiKey: string, body: unknown) => callRoute(policyRoute.PUT, { method: "PUT", path: "/api/v1/retention-policy", apiKey, body });

describe("a retention policy through the engine", () => {
  it("the daily run applies every rule of the enabled workspace as of the moved clock, and leaves the rest", { timeout: 120_000 }, async () => {
    const rules = { inactiveContactDays: 100, messageBodyDays: 30, webhookPayloadDays: 30, runDataDays: 30 };
    expect((await put(mine.apiKey, { enabled: true, ...rules })).status).toBe(409);
    expect((await put(mine.apiKey, { enabled: true, ...rules, confirm: true })).status).toBe(200);
    expect((await put(disabled.apiKey, { enabled: false, ...rules })).status).toBe(200);

    // 26 days on: what was 5 days old is now past the 30-day rules; the contact engaged 3 days
    // before T0 is still within 100 days, and so is the one messaged 60 days before.
    vi.setSystemTime(new Date(T0.getTime() + 26 * DAY_MS));
    await fireCronNow("plan-retention");
    const [run] = await waitFor(
      () => database.db.select().from(retentionRuns).where(and(eq(retentionRuns.workspaceId, mine.workspaceId), eq(retentionRuns.dryRun, false))),
      (rows) => rows.length === 1 && rows[0]!.status !== "running",
      60_000,
    );
    expect(run).toMatchObject({ status: "completed", error: null });
    expect(run!.counts).toEqual({
      anonymisedContacts: 1,
      // The quiet contact's message and outbox copy went with the anonymisation, before these rules ran.
      messageBodies: 2,
      outboxBodies: 2,
      webhookPayloads: 2,
      importErrors: 2,
      importStaging: 2,
      campaignChunks: 4,
      digestItems: 1,
    });
    expect(run!.startedAt.getTime()).toBeGreaterThanOrEqual(T0.getTime() + 26 * DAY_MS);

    const mineContacts = new Map((await database.db.select().from(contacts).where(eq(contacts.workspaceId, mine.workspaceId))).map((row) => [row.id, row]));
    expect(mineContacts.get(mine.contacts.quiet.id)).toMatchObject({ email: null, firstName: null, anonymisedAt: expect.any(Date) });
    for (const kept of [mine.contacts.messaged, mine.contacts.engaged, mine.contacts.edited, mine.contacts.erasing]) expect(mineContacts.get(kept.id)!.email).toBe(kept.email);
    const [queued] = await database.db.select().from(messages).where(eq(messages.id, mine.messages.oldQueued.id));
    expect(queued!.request).toMatchObject({ body: "Dear Ann" });

    const [audit] = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, mine.workspaceId), eq(auditLog.action, "retention.applied")));
    expect(audit).toMatchObject({ actor: "retention", targetType: "retention_run", targetId: run!.id, details: expect.objectContaining({ counts: run!.counts }) });

    // The disabled workspace: no run, nothing touched.
    expect(await database.db.select().from(retentionRuns).where(and(eq(retentionRuns.workspaceId, disabled.workspaceId), eq(retentionRuns.dryRun, false)))).toEqual([]);
    const [untouched] = await database.db.select().from(contacts).where(eq(contacts.id, disabled.contacts.quiet.id));
    expect(untouched!.email).toBe(disabled.contacts.quiet.email);
    const [payload] = await database.db.select().from(webhookEvents).where(eq(webhookEvents.deliveryId, disabled.webhooks.oldWebhook));
    expect(payload!.payload).not.toEqual({});
  });
});
