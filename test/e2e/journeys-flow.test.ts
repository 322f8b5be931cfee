import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getEnrollment, getJourney, insertJourney, journeyStepCounts, listStepEvents, saveJourneyDraft } from "@/db/queries/journeys";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { contactEvents, contacts, journeyEnrollments, messages, templates } from "@/db/schema";
import { changeJourneyStatus, publishJourney } from "@/lib/journeys/manage-journey";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Journeys end to end: contact events go to the engine, the real functions enroll contacts and
 * walk each enrollment through the published version, sends land in the outbox. Time is the
 * test clock: two days of waiting pass in one `advance`.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let workspaceId: string;
let inngest: typeof import("@/inngest/client").inngest;
let events: typeof import("@/inngest/events");
let advance: (ms: number) => void;
const DAY_MS = 86_400_000;
const templateIds: Record<string, string> = {};

beforeAll(async () => {
  ({ advance } = useTestClock(Date.now()));
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Journeys Co" }));
  for (const [name, subject] of [
    ["welcome", "Welcome aboard"],
    ["offer", "An offer for you"],
    ["resend", "Did you see this?"],
  ] as const) {
    const [row] = await database.db.insert(templates).values({ workspaceId, channel: "email", name, subject, body: `<p>${subject}, {{ contact.first_name }}</p>` }).returning();
    templateIds[name] = row!.id;
  }
  app = await startAppEngine();
  ({ inngest } = await import("@/inngest/client"));
  events = await import("@/inngest/events");
}, 180_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
  vi.useRealTimers();
});

const newContact = async (email: string) => (await database.db.insert(contacts).values({ workspaceId, email }).returning())[0]!.id;

let eventCounter = 0;
/** What POST /api/v1/events does: record the contact event, then emit contact/event.received. */
async function contactEvent(contactId: string, name: string, properties: Record<string, unknown> = {}) {
  const now = new Date();
  const eventId = `test-${++eventCounter}`;
  const [row] = await database.db.insert(contactEvents).values({ workspaceId, eventId, name, contactId, properties, occurredAt: now, receivedAt: now }).returning();
  await inngest.send(events.contactEventReceived.create({ workspaceId, contactId, name, contactEventId: row!.id }, { id: `contact-event-${workspaceId}-${eventId}` }));
}

async function publishedJourney(name: string, graph: Record<string, unknown>) {
  const now = new Date();
  const journey = await insertJourney(database.db, { workspaceId, name, draft: graph, savedBy: "test", now });
  const published = await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now });
  if (!published.ok) throw new Error(JSON.stringify(published));
  return journey.id;
}

const enrollmentsOf = (journeyId: string, contactId?: string) =>
  database.db
    .select()
    .from(journeyEnrollments)
    .where(and(eq(journeyEnrollments.journeyId, journeyId), contactId ? eq(journeyEnrollments.contactId, contactId) : undefined))
    .orderBy(journeyEnrollments.enteredAt);
const onlyEnrollment = async (journeyId: string, contactId: string) => (await waitFor(() => enrollmentsOf(journeyId, contactId), (rows) => rows.length === 1))[0]!;
const enrollmentWhen = (enrollmentId: string, done: (row: NonNullable<Awaited<ReturnType<typeof getEnrollment>>>) => boolean) =>
  waitFor(() => getEnrollment(database.db, { workspaceId, enrollmentId }), (row) => Boolean(row && done(row)));
const isWaitingAt = async (enrollmentId: string, stepId: string) =>
  waitFor(() => listStepEvents(database.db, { enrollmentId }), (rows) => rows.some((row) => row.stepId === stepId && row.type === "waiting"));
const journeyMessages = async (enrollmentId: string) =>
  (await database.db.select().from(messages).where(eq(messages.workspaceId, workspaceId))).filter((row) => row.idempotencyKey.startsWith(`journey-${enrollmentId}-`));
const subjectsSentTo = async (email: string) =>
  (await listOutboxMessages(database.db, { workspaceId, filter: {}, limit: 200 })).filter((row) => row.to.includes(email)).map((row) => row.subject).sort();

describe("a welcome journey: send, wait two days for an open, then an offer or a resend", () => {
  let journeyId: string;
  const people: Record<string, string> = {};
  const enrollment: Record<string, string> = {};

  it("enrolls each contact that signs up on the published version and sends the welcome", async () => {
    journeyId = await publishedJourney("Welcome", {
      trigger: { type: "event", eventName: "signup" },
      reentry: { mode: "never" },
      goal: { eventName: "purchase" },
      start: "welcome",
      nodes: [
        { id: "welcome", type: "send", channel: "email", templateId: templateIds.welcome, next: "wait-open" },
        { id: "wait-open", type: "waitForEvent", event: "opened", timeout: { amount: 2, unit: "days" }, onEvent: "offer", onTimeout: "resend" },
        { id: "offer", type: "send", channel: "email", templateId: templateIds.offer, next: "done" },
        { id: "resend", type: "send", channel: "email", templateId: templateIds.resend, next: "done" },
        { id: "done", type: "exit" },
      ],
    });
    for (const name of ["ann", "bob", "cy"]) {
      people[name] = await newContact(`${name}@example.com`);
      await contactEvent(people[name]!, "signup", { source: "ad" });
    }
    for (const name of ["ann", "bob", "cy"]) {
      const row = await onlyEnrollment(journeyId, people[name]!);
      expect(row).toMatchObject({ version: 1, status: "active", trigger: { kind: "event", name: "signup", properties: { source: "ad" } } });
      enrollment[name] = row.id;
      await isWaitingAt(row.id, "wait-open");
      await waitFor(() => subjectsSentTo(`${name}@example.com`), (subjects) => subjects.length === 1);
    }
    expect(await subjectsSentTo("ann@example.com")).toEqual(["Welcome aboard"]);
  });

  it("sends the offer to the contact who opened the welcome", async () => {
    const [welcome] = await journeyMessages(enrollment.ann!);
    expect(welcome!.idempotencyKey).toBe(`journey-${enrollment.ann}-welcome`);
    await inngest.send(
      events.engagementObserved.create({
        observationId: crypto.randomUUID(),
        messageId: welcome!.id,
        type: "opened",
        source: "pixel",
        occurredAt: new Date().toISOString(),
        url: null,
        machine: null,
        client: null,
        device: null,
        os: null,
      }),
    );
    await enrollmentWhen(enrollment.ann!, (row) => row.status === "completed");
    await waitFor(() => subjectsSentTo("ann@example.com"), (subjects) => subjects.length === 2);
    expect(await subjectsSentTo("ann@example.com")).toEqual(["An offer for you", "Welcome aboard"]);
    const timeline = (await listStepEvents(database.db, { enrollmentId: enrollment.ann! })).map((row) => [row.stepId, row.type, row.detail.branch ?? row.detail.reason ?? null]);
    expect(timeline).toEqual([
      ["welcome", "entered", null],
      ["welcome", "passed", "next"],
      ["wait-open", "entered", null],
      ["wait-open", "waiting", null],
      ["wait-open", "passed", "event"],
      ["offer", "entered", null],
      ["offer", "passed", "next"],
      ["done", "entered", null],
      ["done", "exited", "completed"],
    ]);
  });

  it("exits the contact whose goal event arrives, sending nothing more", async () => {
    await contactEvent(people.cy!, "purchase");
    const row = await enrollmentWhen(enrollment.cy!, (current) => current.status !== "active");
    expect(row).toMatchObject({ status: "exited", exitReason: "goal", currentStepId: "wait-open" });
    await waitFor(() => app.engine.listRuns({ fnId: "sendline-run-journey-enrollment" }), (runs) => runs.filter((run) => run.status === "cancelled").length === 1);
  });

  it("resends with another subject to the contact who did not open within two days", async () => {
    advance(2 * DAY_MS + 60_000);
    await enrollmentWhen(enrollment.bob!, (row) => row.status === "completed");
    await waitFor(() => subjectsSentTo("bob@example.com"), (subjects) => subjects.length === 2);
    expect(await subjectsSentTo("bob@example.com")).toEqual(["Did you see this?", "Welcome aboard"]);
    expect(await subjectsSentTo("cy@example.com")).toEqual(["Welcome aboard"]);
  });

  it("counts each step: entered, waiting, passed, exited", async () => {
    const counts = await journeyStepCounts(database.db, { journeyId, version: 1 });
    expect(counts).toEqual({
      welcome: { entered: 3, waiting: 0, passed: 3, exited: 0 },
      "wait-open": { entered: 3, waiting: 0, passed: 2, exited: 1 },
      offer: { entered: 1, waiting: 0, passed: 1, exited: 0 },
      resend: { entered: 1, waiting: 0, passed: 1, exited: 0 },
      done: { entered: 2, waiting: 0, passed: 0, exited: 2 },
    });
  });

  it("runs once per enrollment, at most two steps per graph step plus one", async () => {
    const runs = await app.engine.listRuns({ fnId: "sendline-run-journey-enrollment" });
    expect(runs.map((run) => run.status).sort()).toEqual(["cancelled", "completed", "completed"]);
    for (const run of runs.filter((row) => row.status === "completed")) {
      const history = (await app.engine.history(run.id)) as { name?: string | null }[];
      const steps = new Set(history.map((entry) => entry.name).filter(Boolean));
      // welcome, wait-open, offer | resend, done: 4 graph steps.
      expect(steps.size).toBeLessThanOrEqual(2 * 4 + 1);
      expect(steps.size).toBeGreaterThanOrEqual(4);
    }
  });
});

describe("re-entry rules", () => {
  it("never: once; after N days: again only after N days; always: each time the last pass ended", async () => {
    const single = (reentry: Record<string, unknown>) => ({ trigger: { type: "event", eventName: "visit" }, reentry, start: "done", nodes: [{ id: "done", type: "exit" }] });
    const never = await publishedJourney("Visit once", single({ mode: "never" }));
    const after = await publishedJourney("Visit weekly", single({ mode: "after", days: 3 }));
    const always = await publishedJourney("Visit always", single({ mode: "always" }));
    const dee = await newContact("dee@example.com");
    const completed = async (journeyId: string, n: number) => waitFor(() => enrollmentsOf(journeyId, dee), (rows) => rows.length === n && rows.every((row) => row.status === "completed"));

    await contactEvent(dee, "visit");
    await Promise.all([completed(never, 1), completed(after, 1), completed(always, 1)]);
    await contactEvent(dee, "visit");
    await completed(always, 2);
    advance(3 * DAY_MS + 60_000);
    await contactEvent(dee, "visit");
    await completed(always, 3);
    await completed(after, 2);
    // Every enroll run has finished: nothing more will come for `never`.
    await waitFor(() => app.engine.listRuns({ fnId: "sendline-enroll-journey-contact" }), (runs) => runs.filter((run) => run.status === "completed").length >= 7);
    expect(await enrollmentsOf(never, dee)).toHaveLength(1);
    expect(await enrollmentsOf(after, dee)).toHaveLength(2);
  });
});

describe("versions", () => {
  it("leaves running enrollments on the version they entered on when a new one is published", async () => {
    const graph = (wait: number, templateId: string) => ({
      trigger: { type: "event", eventName: "trial" },
      reentry: { mode: "never" },
      start: "pause",
      nodes: [
        { id: "pause", type: "wait", duration: { amount: wait, unit: "days" }, next: "mail" },
        { id: "mail", type: "send", channel: "email", templateId, next: "done" },
        { id: "done", type: "exit" },
      ],
    });
    const now = new Date();
    const journeyId = await publishedJourney("Trial", graph(1, templateIds.welcome!));
    const eve = await newContact("eve@example.com");
    await contactEvent(eve, "trial");
    const first = await onlyEnrollment(journeyId, eve);
    await isWaitingAt(first.id, "pause");

    const saved = await saveJourneyDraft(database.db, { workspaceId, journeyId, baseRevision: 0, draft: graph(5, templateIds.offer!), savedBy: "test", now });
    expect(saved).toMatchObject({ ok: true });
    expect(await publishJourney(database.db, { workspaceId, journeyId, publishedBy: "test", now })).toMatchObject({ ok: true, version: 2 });
    const fay = await newContact("fay@example.com");
    await contactEvent(fay, "trial");
    const second = await onlyEnrollment(journeyId, fay);
    expect(second.version).toBe(2);
    await isWaitingAt(second.id, "pause");

    advance(DAY_MS + 60_000);
    await enrollmentWhen(first.id, (row) => row.status === "completed");
    expect(await waitFor(() => subjectsSentTo("eve@example.com"), (subjects) => subjects.length > 0)).toEqual(["Welcome aboard"]);
    expect((await getEnrollment(database.db, { workspaceId, enrollmentId: second.id }))!.status).toBe("active");
    advance(4 * DAY_MS);
    await enrollmentWhen(second.id, (row) => row.status === "completed");
    expect(await waitFor(() => subjectsSentTo("fay@example.com"), (subjects) => subjects.length > 0)).toEqual(["An offer for you"]);
  });
});

describe("faults and pauses", () => {
  const napThenSend = (eventName: string, templateId: string) => ({
    trigger: { type: "event", eventName },
    start: "nap",
    nodes: [
      { id: "nap", type: "wait", duration: { amount: 1, unit: "hours" }, next: "mail" },
      { id: "mail", type: "send", channel: "email", templateId, next: "done" },
      { id: "done", type: "exit" },
    ],
  });
  const runOf = async (enrollmentId: string) =>
    waitFor(() => app.engine.listRuns({ fnId: "sendline-run-journey-enrollment" }), (runs) => runs.some((run) => run.event?.data?.enrollmentId === enrollmentId)).then(
      (runs) => runs.find((run) => run.event?.data?.enrollmentId === enrollmentId)!,
    );
  const stepNames = async (runId: string) => ((await app.engine.history(runId)) as { name?: string | null }[]).map((entry) => entry.name ?? "");

  it("holds running enrollments of a paused journey at their next step until it is resumed", async () => {
    const journeyId = await publishedJourney("Pausable", napThenSend("pausable", templateIds.offer!));
    const gil = await newContact("gil@example.com");
    await contactEvent(gil, "pausable");
    const enrolled = await onlyEnrollment(journeyId, gil);
    await isWaitingAt(enrolled.id, "nap");
    expect(await changeJourneyStatus(database.db, { workspaceId, journeyId, action: "pause", now: new Date() })).toMatchObject({ status: "paused" });
    advance(60 * 60_000 + 60_000);
    const run = await runOf(enrolled.id);
    await waitFor(() => stepNames(run.id), (names) => names.some((name) => name.startsWith("hold-mail-1")));
    expect(await subjectsSentTo("gil@example.com")).toEqual([]);
    expect((await getEnrollment(database.db, { workspaceId, enrollmentId: enrolled.id }))).toMatchObject({ status: "active", currentStepId: "nap" });

    await changeJourneyStatus(database.db, { workspaceId, journeyId, action: "resume", now: new Date() });
    await inngest.send(events.journeyResumed.create({ workspaceId, journeyId }));
    await enrollmentWhen(enrolled.id, (row) => row.status === "completed");
    expect(await waitFor(() => subjectsSentTo("gil@example.com"), (subjects) => subjects.length > 0)).toEqual(["An offer for you"]);
  });

  it("lets a contact unsubscribed mid-journey leave at its next step", async () => {
    const journeyId = await publishedJourney("Unsubscribable", napThenSend("unsubscribable", templateIds.offer!));
    const hal = await newContact("hal@example.com");
    await contactEvent(hal, "unsubscribable");
    const enrolled = await onlyEnrollment(journeyId, hal);
    await isWaitingAt(enrolled.id, "nap");
    await database.db.update(contacts).set({ status: "unsubscribed", unsubscribedAt: new Date() }).where(eq(contacts.id, hal));
    advance(60 * 60_000 + 60_000);
    expect(await enrollmentWhen(enrolled.id, (row) => row.status !== "active")).toMatchObject({ status: "exited", exitReason: "unsubscribed" });
    expect(await subjectsSentTo("hal@example.com")).toEqual([]);
  });

  it("pauses the journey with the reason when a send's template was deleted, instead of failing the enrollment", async () => {
    const [doomed] = await database.db.insert(templates).values({ workspaceId, channel: "email", name: "doomed", subject: "Soon gone", body: "<p>x</p>" }).returning();
    const journeyId = await publishedJourney("Fragile", napThenSend("fragile", doomed!.id));
    const ivy = await newContact("ivy@example.com");
    await contactEvent(ivy, "fragile");
    const enrolled = await onlyEnrollment(journeyId, ivy);
    await isWaitingAt(enrolled.id, "nap");
    await database.db.delete(templates).where(eq(templates.id, doomed!.id));
    advance(60 * 60_000 + 60_000);
    const paused = await waitFor(() => getJourney(database.db, { workspaceId, journeyId }), (row) => row?.status === "paused");
    expect(paused!.statusReason).toBe(`step mail: template not found (${doomed!.id})`);
    expect(await getEnrollment(database.db, { workspaceId, enrollmentId: enrolled.id })).toMatchObject({ status: "active" });
  });
});

describe("segment triggers", () => {
  it("enrolls a segment's members by fan-out: one run pages through them and starts their runs in batches", async () => {
    const { insertSegment } = await import("@/db/queries/segments");
    const { segmentEnrollmentEvent } = await import("@/inngest/journey-events");
    const segmentId = (await insertSegment(database.db, { workspaceId, name: "Fan-out", filter: { field: "email", op: "ends_with", value: "@fanout.example" } }))!.id;
    for (let n = 0; n < 4; n++) await newContact(`f${n}@fanout.example`);
    const journeyId = await publishedJourney("Segment welcome", { trigger: { type: "segment", segmentId }, start: "mail", nodes: [{ id: "mail", type: "send", channel: "email", templateId: templateIds.welcome, next: "done" }, { id: "done", type: "exit" }] });
    await inngest.send(segmentEnrollmentEvent({ workspaceId, journeyId, version: 1 }));
    const enrolled = await waitFor(() => enrollmentsOf(journeyId), (rows) => rows.length === 4 && rows.every((row) => row.status === "completed"));
    expect(enrolled.every((row) => row.trigger.kind === "segment")).toBe(true);
    expect(await app.engine.listRuns({ fnId: "sendline-enroll-journey-segment" })).toHaveLength(1);
    expect(await waitFor(() => subjectsSentTo("@fanout.example"), (subjects) => subjects.length === 4)).toEqual(Array(4).fill("Welcome aboard"));
  });
});
