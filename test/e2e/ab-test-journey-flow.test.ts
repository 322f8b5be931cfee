import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertJourney } from "@/db/queries/journeys";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { contactEvents, contacts, journeyAbAssignments, journeyEnrollments, messages, templates } from "@/db/schema";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * A journey's A/B send step end to end through the local engine, with the clock under the test's
 * control: the first enrollments get subject A or B, people open B, the clock passes the sample's
 * window, the decision cron records B with its p-value, and every later enrollment gets B. A
 * replay of an enrollment's run keeps its variant and sends nothing twice; a replay of the cron
 * picks no other winner.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SAMPLE = 5;
const FIRST = 30;
const LATER = 6;
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let workspaceId: string;
let apiKey: string;
let clock: ReturnType<typeof useTestClock>;
let inngest: typeof import("@/inngest/client").inngest;
let events: typeof import("@/inngest/events");
let abTestsRoute: typeof import("@/app/api/v1/journeys/[id]/versions/[version]/ab-tests/route");
let journeyId: string;

beforeAll(async () => {
  clock = useTestClock(Date.now());
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Journey A/B" }));
  const [template] = await database.db.insert(templates).values({ workspaceId, channel: "email", name: "welcome", subject: "Welcome", body: "<p>Hi {{ contact.first_name }}</p>" }).returning();
  const draft = {
    trigger: { type: "event", eventName: "signup" },
    start: "welcome",
    nodes: [
      {
        id: "welcome",
        type: "send",
        channel: "email",
        templateId: template!.id,
        abTest: { metric: "opens", sampleSize: SAMPLE, windowHours: 2, variants: [{ subject: "Subject A" }, { subject: "Subject B for {{ contact.first_name }}" }] },
        next: "pause",
      },
      // Enrollments stay active after the send, so a replayed run walks the send step again.
      { id: "pause", type: "wait", duration: { amount: 30, unit: "days" }, next: "done" },
      { id: "done", type: "exit" },
    ],
  };
  const journey = await insertJourney(database.db, { workspaceId, name: "Welcome A/B", draft, savedBy: "test", now: new Date() });
  const published = await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now: new Date() });
  if (!published.ok) throw new Error(JSON.stringify(published));
  journeyId = journey.id;
  app = await startAppEngine();
  ({ inngest } = await import("@/inngest/client"));
  events = await import("@/inngest/events");
  abTestsRoute = await import("@/app/api/v1/journeys/[id]/versions/[version]/ab-tests/route");
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
  vi.useRealTimers();
});

async function signUp(count: number, prefix: string, name = "signup"): Promise<string[]> {
  const rows = await database.db
    .insert(contacts)
    .values(Array.from({ length: count }, (_, i) => ({ workspaceId, email: `${prefix}${i}@example.com`, firstName: `${prefix}${i}` })))
    .returning();
  for (const contact of rows) {
    const now = new Date();
    const eventId = randomUUID();
    const [event] = await database.db.insert(contactEvents).values({ workspaceId, eventId, name, contactId: contact.id, properties: {}, occurredAt: now, receivedAt: now }).returning();
    await inngest.send(events.contactEventReceived.create({ workspaceId, contactId: contact.id, name, contactEventId: event!.id }, { id: `contact-event-${workspaceId}-${eventId}` }));
  }
  return rows.map((row) => row.id);
}

/** Enrollments that sent and are waiting at the step after it. */
const waiting = (count: number) =>
  waitFor(
    () => database.db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.journeyId, journeyId), eq(journeyEnrollments.currentStepId, "pause"))),
    (rows) => rows.length === count,
    120_000,
  );
/** Each variant's assignments with the message they were sent as and its subject in the outbox. */
async function sent() {
  const outbox = await listOutboxMessages(database.db, { workspaceId, filter: {}, limit: 500 });
  const assignments = await database.db.select().from(journeyAbAssignments).where(eq(journeyAbAssignments.journeyId, journeyId));
  return assignments.map((row) => ({ ...row, subjects: outbox.filter((mail) => mail.messageId === row.messageId).map((mail) => mail.subject) }));
}
const results = () => callRoute(abTestsRoute.GET, { path: `/api/v1/journeys/${journeyId}/versions/1/ab-tests`, apiKey, params: { id: journeyId, version: "1" } });
const settled = (status: string) => status === "completed" || status === "failed" || status === "cancelled";

async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}
const pickRuns = () => app.engine.listRuns({ fnId: "sendline-pick-journey-ab-winners", limit: 1000 });

describe("a journey send step with two subject variants", () => {
  it("gives the first enrollments A or B, each its own subject, once", { timeout: 180_000 }, async () => {
    await signUp(FIRST, "first");
    await waiting(FIRST);
    const rows = await waitFor(sent, (list) => list.length === FIRST && list.every((row) => row.subjects.length === 1), 60_000);
    const a = rows.filter((row) => row.variant === 0);
    const b = rows.filter((row) => row.variant === 1);
    expect(a.length).toBeGreaterThanOrEqual(SAMPLE);
    expect(b.length).toBeGreaterThanOrEqual(SAMPLE);
    expect(rows.every((row) => row.sample)).toBe(true);
    expect(a.every((row) => row.subjects[0] === "Subject A")).toBe(true);
    expect(b.every((row) => /^Subject B for first\d+$/.test(row.subjects[0]!))).toBe(true);
    const live = await results();
    expect(live.status).toBe(200);
    expect(live.body.steps[0]).toMatchObject({ stepId: "welcome", state: "testing", winner: null, canPickNow: true });
    expect(live.body.steps[0].variants.map((v: { sent: number }) => v.sent)).toEqual([SAMPLE, SAMPLE]);
  });

  it("records B the winner once the sample's window has passed, on human opens", { timeout: 180_000 }, async () => {
    // People open every B and one A; machine opens of A do not count.
    clock.advance(10 * MINUTE);
    const rows = await sent();
    const open = (messageId: string, machine: "apple-privacy-proxy" | null = null) => ({ messageId, type: "opened" as const, source: "pixel" as const, occurredAt: new Date(), dedupeKey: randomUUID(), machine });
    const a = rows.filter((row) => row.variant === 0).map((row) => row.messageId!);
    const b = rows.filter((row) => row.variant === 1).map((row) => row.messageId!);
    await recordEngagement(database.db, [...b.map((id) => open(id)), open(a[0]!), ...a.slice(1, 3).map((id) => open(id, "apple-privacy-proxy"))]);
    const live = (await results()).body.steps[0];
    expect(live.leader).toMatchObject({ variant: "B" });
    expect(live.variants.map((v: { conversions: number }) => v.conversions)).toEqual([expect.any(Number), SAMPLE]);
    expect(live.variants[0].conversions).toBeLessThanOrEqual(1);

    // Before the window ends the cron decides nothing.
    const before = (await pickRuns()).length;
    await fireCronNow("pick-journey-ab-winners");
    await waitFor(pickRuns, (runs) => runs.length > before && runs.every((run) => settled(run.status)), 60_000);
    expect((await results()).body.steps[0].winner).toBeNull();

    clock.advance(2 * HOUR + MINUTE);
    const count = (await pickRuns()).length;
    await fireCronNow("pick-journey-ab-winners");
    await waitFor(pickRuns, (runs) => runs.length > count && runs.every((run) => settled(run.status)), 60_000);
    const decided = (await results()).body.steps[0];
    expect(decided).toMatchObject({ state: "decided", canPickNow: false, winner: { variant: "B", index: 1, decidedBy: "window" } });
    expect(decided.winner.variants).toEqual([expect.objectContaining({ variant: "A", sent: SAMPLE }), { variant: "B", sent: SAMPLE, conversions: SAMPLE, rate: 1 }]);
    expect(decided.winner.pValue).toBeLessThan(0.05);
  });

  it("gives every later enrollment B", { timeout: 180_000 }, async () => {
    const later = await signUp(LATER, "later");
    await waiting(FIRST + LATER);
    const rows = await waitFor(sent, (list) => list.length === FIRST + LATER && list.every((row) => row.subjects.length === 1), 60_000);
    const theirs = rows.filter((row) => later.includes(row.contactId));
    expect(theirs).toHaveLength(LATER);
    expect(theirs.every((row) => row.variant === 1 && !row.sample && /^Subject B for later\d+$/.test(row.subjects[0]!))).toBe(true);
    expect((await results()).body.steps[0].variants.map((v: { afterWinner: number }) => v.afterWinner)).toEqual([0, LATER]);
  });

  it("a replayed enrollment keeps its variant and sends nothing again; a replayed decision picks no other winner", { timeout: 180_000 }, async () => {
    const before = await sent();
    const decided = (await results()).body.steps[0].winner;
    const runs = await app.engine.listRuns({ fnId: "sendline-run-journey-enrollment", limit: 1000 });
    const aOne = before.find((row) => row.variant === 0)!;
    const run = runs.find((row) => JSON.stringify(row.event).includes(aOne.enrollmentId))!;
    const cron = (await pickRuns()).at(-1)!;
    const replays = [await app.engine.replay(run.id), await app.engine.replay(cron.id)];
    expect(replays.every(Boolean)).toBe(true);
    // The replayed enrollment walks its steps again up to the 30-day wait; its send step finds the recorded variant and message.
    const names = async () => ((await app.engine.history(replays[0]!)) as { name?: string | null }[]).map((entry) => entry.name);
    expect(await waitFor(names, (list) => list.includes("step-pause-1"), 60_000)).toContain("step-welcome-1");
    expect((await waitFor(() => app.engine.getRun(replays[1]!), (row) => Boolean(row && settled(row.status)), 60_000))!.status).toBe("completed");
    const after = await sent();
    expect(after.find((row) => row.enrollmentId === aOne.enrollmentId)).toEqual(aOne);
    expect(after.map((row) => [row.enrollmentId, row.variant, row.messageId])).toEqual(before.map((row) => [row.enrollmentId, row.variant, row.messageId]));
    const journeyMessages = (await database.db.select().from(messages).where(eq(messages.workspaceId, workspaceId))).filter((row) => row.idempotencyKey.startsWith("journey-"));
    expect(journeyMessages).toHaveLength(FIRST + LATER);
    expect((await listOutboxMessages(database.db, { workspaceId, filter: {}, limit: 500 })).length).toBe(FIRST + LATER);
    expect((await results()).body.steps[0].winner).toEqual(decided);
  });
});

describe("a send-time variant", () => {
  it("sleeps durably before sending: B's enrollments get their message an hour after A's", { timeout: 180_000 }, async () => {
    const [template] = await database.db.insert(templates).values({ workspaceId, channel: "email", name: "trial", subject: "Trial", body: "<p>Trial</p>" }).returning();
    const draft = {
      trigger: { type: "event", eventName: "trial" },
      start: "nudge",
      nodes: [
        { id: "nudge", type: "send", channel: "email", templateId: template!.id, abTest: { metric: "clicks", variants: [{ subject: "Now" }, { subject: "An hour later", delayMinutes: 60 }] }, next: "done" },
        { id: "done", type: "exit" },
      ],
    };
    const journey = await insertJourney(database.db, { workspaceId, name: "Trial send time", draft, savedBy: "test", now: new Date() });
    expect(await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now: new Date() })).toMatchObject({ ok: true });
    const assignments = () => database.db.select().from(journeyAbAssignments).where(eq(journeyAbAssignments.journeyId, journey.id));
    const subjects = async () => (await listOutboxMessages(database.db, { workspaceId, filter: {}, limit: 500 })).filter((mail) => mail.to.startsWith("trial")).map((mail) => mail.subject);
    let people = await signUp(12, "trial", "trial");
    let rows = await waitFor(assignments, (list) => list.length === people.length, 60_000);
    // Twelve hashed draws give both variants all but always; one in 2,048 gives one variant only
    // (a CI run met it), and then twelve more people sign up, so the spec never rests on luck.
    for (let round = 1; round < 4 && new Set(rows.map((row) => row.variant)).size < 2; round++) {
      people = [...people, ...(await signUp(12, `trial-${round}-`, "trial"))];
      rows = await waitFor(assignments, (list) => list.length === people.length, 60_000);
    }
    const later = rows.filter((row) => row.variant === 1).length;
    const now = people.length - later;
    expect(Math.min(now, later)).toBeGreaterThan(0);
    // A's go at once; B's wait, their enrollments still active at the step.
    await waitFor(subjects, (list) => list.length === now, 60_000);
    await waitFor(
      () => database.db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.journeyId, journey.id), eq(journeyEnrollments.status, "completed"))),
      (list) => list.length === now,
      60_000,
    );
    expect(await subjects()).toEqual(new Array(now).fill("Now"));

    clock.advance(61 * MINUTE);
    await waitFor(subjects, (list) => list.length === people.length, 60_000);
    expect((await subjects()).filter((subject) => subject === "An hour later")).toHaveLength(later);
    const delayed = (await assignments()).filter((row) => row.variant === 1);
    expect(delayed.every((row) => row.messageId && row.sentAt && row.sentAt.getTime() - row.assignedAt.getTime() >= 60 * MINUTE)).toBe(true);
  });
});
