import { InngestTestEngine } from "@inngest/test";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { saveRetentionPolicy } from "@/db/queries/retention-policies";
import { getRetentionRun, insertRetentionRun } from "@/db/queries/retention-runs";
import { contacts, messages } from "@/db/schema";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { type RetentionWorld, seedRetentionWorld } from "@/test/lib/lifecycle/retention-world";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { applyRetentionPolicy } = await import("@/inngest/functions/lifecycle/apply-retention-policy");

let database: Database;
let world: RetentionWorld;

beforeAll(async () => {
  database = await useTestDatabase();
  world = await seedRetentionWorld(database.db, { name: "Apply", now: new Date() });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  await recorder.stop();
});

const policy = (enabled: boolean) =>
  saveRetentionPolicy(database.db, { workspaceId: world.workspaceId, enabled, inactiveContactDays: null, messageBodyDays: 30, webhookPayloadDays: null, runDataDays: null, confirmShare: 0.1, confirmedAt: null, updatedBy: "test", at: new Date() });
const newRun = async () => (await insertRetentionRun(database.db, { workspaceId: world.workspaceId, dryRun: false, startedAt: new Date() })).id;
const apply = (runId: string, workspaceId = world.workspaceId) =>
  new InngestTestEngine({ function: applyRetentionPolicy }).execute({ events: [{ name: "lifecycle/retention.requested", data: { workspaceId, runId } }] } as never);
const emptied = async () => (await database.db.select().from(messages).where(and(eq(messages.workspaceId, world.workspaceId), eq(messages.request, { data: {} })))).length;

describe("apply-retention-policy", () => {
  it("stops at RETENTION_MAX_BATCHES_PER_RULE and says what continues tomorrow; the next run finishes it", async () => {
    vi.stubEnv("RETENTION_BATCH_ROWS", "1");
    vi.stubEnv("RETENTION_MAX_BATCHES_PER_RULE", "1");
    await policy(true);
    const first = await newRun();
    expect((await apply(first)).result).toEqual({ counts: { messageBodies: 1, outboxBodies: 1 }, continuesTomorrow: ["messageBodies", "outboxBodies"] });
    expect(await emptied()).toBe(1);
    vi.stubEnv("RETENTION_MAX_BATCHES_PER_RULE", "10");
    const second = await newRun();
    expect((await apply(second)).result).toEqual({ counts: { messageBodies: 1, outboxBodies: 1 }, continuesTomorrow: [] });
    expect(await emptied()).toBe(2);
    expect(await getRetentionRun(database.db, { workspaceId: world.workspaceId, runId: second })).toMatchObject({ status: "completed", finishedAt: expect.any(Date) });
  });

  it("closes a run whose policy was disabled meanwhile without touching anything, and skips runs that are not running or not the workspace's", async () => {
    await policy(false);
    const runId = await newRun();
    expect((await apply(runId)).result).toEqual({ counts: {}, continuesTomorrow: [] });
    expect(await getRetentionRun(database.db, { workspaceId: world.workspaceId, runId })).toMatchObject({ status: "completed", counts: {} });
    expect((await apply(runId)).result).toEqual({ skipped: "no running retention run with this id in this workspace" });
    expect((await apply(await newRun(), "00000000-0000-4000-8000-000000000000")).result).toMatchObject({ skipped: expect.any(String) });
    expect(await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, world.workspaceId), isNotNull(contacts.anonymisedAt)))).toEqual([]);
  });
});
