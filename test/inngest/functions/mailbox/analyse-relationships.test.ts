import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { contactRelationships, contacts, mailboxConnections } from "@/db/schema";
import { metrics } from "@/lib/observability/metrics";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { sentEvents } from "@/test/inngest/functions/imports/import-harness";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { collectLogLines } from "@/test/support/log-lines";
import { insertMail } from "@/test/support/mailbox-mail";
import { sampleSum } from "@/test/support/prometheus-text";

// One contact per batch, so a handful of contacts shows the batching and the hand-over.
vi.mock("@/lib/mailbox/score-relationship-batch", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/mailbox/score-relationship-batch")>();
  return { ...original, scoreRelationshipBatch: (db: never, params: Parameters<typeof original.scoreRelationshipBatch>[1]) => original.scoreRelationshipBatch(db, { ...params, limit: 1 }) };
});

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { analyseRelationships, RELATIONSHIP_BATCHES_PER_RUN } = await import("@/inngest/functions/mailbox/analyse-relationships");
const { planRelationshipAnalyses } = await import("@/inngest/functions/mailbox/plan-relationship-analyses");

let database: Database;
const OWNER = "me@own.example";

beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

/** A workspace whose owner exchanged mail with `people` contacts (a message from each, answered half an hour later). */
async function workspaceWithMail(name: string, people: number) {
  const { workspace } = await createWorkspace(database.db, { name });
  await database.db.insert(mailboxConnections).values({ workspaceId: workspace.id, kind: "import", label: "test", ownerAddresses: [OWNER] });
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const answered = new Date(Date.now() - 1_800_000).toISOString();
  for (let n = 0; n < people; n++) {
    const email = `person${n}@example.com`;
    await database.db.insert(contacts).values({ workspaceId: workspace.id, email });
    await insertMail(database.db, { workspaceId: workspace.id, owner: OWNER, defaultTo: email, mail: [{ thread: `t${n}`, from: email, at }, { thread: `t${n}`, from: OWNER, at: answered }] });
  }
  return workspace.id;
}

const run = (data: Record<string, unknown>) => new InngestTestEngine({ function: analyseRelationships }).execute({ events: [{ name: "mailbox/relationships.requested", data }] } as never);

describe("analyse-relationships", () => {
  it("is debounced per workspace (a continuation apart) and runs once per workspace at a time", () => {
    expect(analyseRelationships.opts).toMatchObject({
      id: "analyse-relationships",
      debounce: { key: "event.data.workspaceId + event.data.after", period: "10s", timeout: "2m" },
      concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    });
  });

  it("scores every contact in keyset batches as of one instant, counts the recompute and logs it", async () => {
    const workspaceId = await workspaceWithMail("Three", 3);
    const logs = collectLogLines();
    const before = sampleSum(await metrics().registry.metrics(), "sendline_relationship_analyses_total");
    const { result, ctx } = await run({ workspaceId });
    logs.stop();
    // Three contacts, one per batch, and the empty fourth batch that finds the end.
    expect(result).toMatchObject({ workspaceId, contacts: 3, scored: 3, removed: 0, awaiting: 0, batches: 4, done: true });
    expect(sentEvents(ctx)).toEqual([]);
    const rows = await database.db.select().from(contactRelationships).where(eq(contactRelationships.workspaceId, workspaceId));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((row) => row.computedAt.toISOString()))).toEqual(new Set([(result as { asOf: string }).asOf]));
    expect(sampleSum(await metrics().registry.metrics(), "sendline_relationship_analyses_total")).toBe(before + 1);
    expect(logs.lines().find((line) => line.msg === "mailbox: relationships analysed")).toMatchObject({ level: "info", workspaceId, contacts: 3, scored: 3, continued: false });
  });

  it(`hands over after ${RELATIONSHIP_BATCHES_PER_RUN} batches with the next contact id and the same instant, and the continuation picks up there`, { timeout: 120_000 }, async () => {
    const workspaceId = await workspaceWithMail("Big", RELATIONSHIP_BATCHES_PER_RUN + 2);
    const first = await run({ workspaceId });
    expect(first.result).toMatchObject({ contacts: RELATIONSHIP_BATCHES_PER_RUN, done: false });
    const [handover] = sentEvents(first.ctx) as { name: string; id: string; data: { workspaceId: string; after: string; asOf: string } }[];
    const asOf = (first.result as { asOf: string }).asOf;
    expect(handover).toMatchObject({ name: "mailbox/relationships.requested", data: { workspaceId, asOf, after: expect.any(String) } });
    expect(handover!.id).toBe(`mailbox-relationships-${workspaceId}-${asOf}-${handover!.data.after}`);

    const second = await run(handover!.data);
    expect(second.result).toMatchObject({ contacts: 2, scored: 2, done: true, asOf });
    expect(await database.db.$count(contactRelationships, eq(contactRelationships.workspaceId, workspaceId))).toBe(RELATIONSHIP_BATCHES_PER_RUN + 2);
  });

  it("re-reads the workspace and does nothing for one that no longer exists", async () => {
    const { result } = await run({ workspaceId: "0190b8a4-0000-7000-8000-000000000000" });
    expect(result).toEqual({ workspaceId: "0190b8a4-0000-7000-8000-000000000000", skipped: "no such workspace" });
  });
});

describe("plan-relationship-analyses", () => {
  it("asks for a recompute of every workspace with mailbox messages, once per workspace and day", async () => {
    const withMail = await workspaceWithMail("Planned", 1);
    const { workspace: without } = await createWorkspace(database.db, { name: "No mail" });
    const { result, ctx } = await new InngestTestEngine({ function: planRelationshipAnalyses }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC 15 4 * * *" } } as never] });
    const day = new Date().toISOString().slice(0, 10);
    const sent = sentEvents(ctx);
    expect(sent).toContainEqual({ name: "mailbox/relationships.requested", id: `mailbox-relationships-${withMail}-${day}`, data: { workspaceId: withMail } });
    expect(sent.some((event) => (event.data as { workspaceId: string }).workspaceId === without.id)).toBe(false);
    expect((result as { planned: number }).planned).toBe(sent.length);
  });
});
