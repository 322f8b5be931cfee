import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { journeyDueEventId } from "@/core/automations/zone-plan";
import type { Database } from "@/db";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { getJourney, insertJourney } from "@/db/queries/journeys";
import { insertSegment } from "@/db/queries/segments";
import { contacts, journeyEnrollments } from "@/db/schema";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Journey triggers end to end, with the app and the engine on the test clock: the real crons
 * (fired by hand at the moments the test sets) re-evaluate a live segment-triggered journey's
 * segment and enroll the contacts that entered it since, under the re-entry rule; and plan a
 * date-triggered journey's zones at 09:00 local, enrolling each contact whose birthday it is
 * once a year however often the plan fires or its events are replayed.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let workspaceId: string;
let inngest: typeof import("@/inngest/client").inngest;
let journeyEvents: typeof import("@/inngest/journey-events");

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Triggers" }));
  await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "Europe/Paris" });
  app = await startAppEngine();
  ({ inngest } = await import("@/inngest/client"));
  journeyEvents = await import("@/inngest/journey-events");
}, 180_000);
afterAll(async () => {
  vi.useRealTimers();
  await app?.stop();
  await database?.close();
});

async function fireCronNow(functionId: string) {
  const { store } = app.engine.ctx;
  const [job] = (await store.jobsOfKind("cron")).filter((row) => String(row.payload.fnId).endsWith(`-${functionId}`));
  if (!job) throw new Error(`no cron job for ${functionId}`);
  await store.releaseJob(job.id, Date.now());
  app.engine.ctx.poke(Date.now());
}
const runsOf = (functionId: string) => app.engine.listRuns({ fnId: `sendline-${functionId}`, limit: 1000 });
const settled = (status: string) => status === "completed" || status === "failed" || status === "cancelled";
/** Fires a cron and waits for its run, the runs it asked for (at least `expected` more), and every enrollment run to finish. */
async function fireAndSettle(cron: string, worker: string, expected: number) {
  const plans = (await runsOf(cron)).length;
  const workers = (await runsOf(worker)).length;
  await fireCronNow(cron);
  await waitFor(() => runsOf(cron), (runs) => runs.length > plans && runs.every((run) => settled(run.status)), 60_000);
  await waitFor(() => runsOf(worker), (runs) => runs.length >= workers + expected && runs.every((run) => settled(run.status)), 60_000);
  await waitFor(() => runsOf("run-journey-enrollment"), (runs) => runs.every((run) => settled(run.status)), 60_000);
  expect((await runsOf(worker)).every((run) => run.status === "completed")).toBe(true);
}
const enrollmentsOf = (journeyId: string, contactId: string) =>
  database.db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.journeyId, journeyId), eq(journeyEnrollments.contactId, contactId)));
/** Waits until every enrollment of the journey has ended (its run completed). */
const allEnded = (journeyId: string) =>
  waitFor(() => database.db.select().from(journeyEnrollments).where(eq(journeyEnrollments.journeyId, journeyId)), (rows) => rows.every((row) => row.status !== "active"), 60_000);

async function publishedJourney(name: string, graph: Record<string, unknown>) {
  const now = new Date();
  const journey = await insertJourney(database.db, { workspaceId, name, draft: graph, savedBy: "test", now });
  const published = await publishJourney(database.db, { workspaceId, journeyId: journey.id, publishedBy: "test", now });
  if (!published.ok) throw new Error(JSON.stringify(published));
  return { journeyId: journey.id, version: published.version, segmentTriggered: published.segmentTriggered };
}

describe("a segment-triggered journey after publish", () => {
  it("enrolls a contact that joins the segment once, at the next evaluation; one that leaves and comes back re-enters as its rule says", { timeout: 300_000 }, async () => {
    const clock = useTestClock(new Date("2027-03-01T10:01:00Z"));
    const segmentId = (await insertSegment(database.db, { workspaceId, name: "Pro", filter: { attribute: "plan", op: "eq", value: "pro" } }))!.id;
    const contact = async (email: string, plan: string) => (await database.db.insert(contacts).values({ workspaceId, email, attributes: { plan } }).returning())[0]!.id;
    const setPlan = (contactId: string, plan: string) => database.db.update(contacts).set({ attributes: { plan } }).where(eq(contacts.id, contactId));
    const early = await contact("early@example.com", "pro");
    const graph = (mode: "never" | "always") => ({ trigger: { type: "segment", segmentId }, reentry: { mode }, start: "done", nodes: [{ id: "done", type: "exit" }] });
    const never = await publishedJourney("Pro once", graph("never"));
    const always = await publishedJourney("Pro every time", graph("always"));
    for (const ids of [never, always]) {
      expect(ids.segmentTriggered).toBe(true);
      await inngest.send(journeyEvents.segmentEnrollmentEvent({ workspaceId, ...ids }));
    }
    await waitFor(() => runsOf("enroll-journey-segment"), (runs) => runs.length === 2 && runs.every((run) => run.status === "completed"), 60_000);
    for (const ids of [never, always]) await allEnded(ids.journeyId);
    expect(await enrollmentsOf(never.journeyId, early)).toHaveLength(1);

    // Joins after publish: the next evaluation enrolls it, once; the member present at publish is not enrolled again.
    const late = await contact("late@example.com", "free");
    await setPlan(late, "pro");
    clock.set(new Date("2027-03-01T10:16:00Z"));
    await fireAndSettle("plan-journey-segments", "evaluate-journey-segment", 2);
    for (const ids of [never, always]) {
      await allEnded(ids.journeyId);
      expect(await enrollmentsOf(ids.journeyId, late)).toHaveLength(1);
      expect(await enrollmentsOf(ids.journeyId, early)).toHaveLength(1);
    }
    expect((await enrollmentsOf(always.journeyId, late))[0]).toMatchObject({ status: "completed", trigger: { kind: "segment" } });

    // Another evaluation, and the same evaluation request replayed: still a member, nobody enters.
    clock.set(new Date("2027-03-01T10:31:00Z"));
    await fireAndSettle("plan-journey-segments", "evaluate-journey-segment", 2);
    const evaluations = (await runsOf("evaluate-journey-segment")).length;
    await inngest.send(journeyEvents.segmentEvaluationEvent({ workspaceId, ...always }, "2027-03-01T10:30")); // the same id: no run
    await inngest.send({ name: "journey/segment-evaluation.requested", data: { workspaceId, ...always }, id: "replayed-by-hand" });
    await waitFor(() => runsOf("evaluate-journey-segment"), (runs) => runs.length === evaluations + 1 && runs.every((run) => run.status === "completed"), 60_000);
    for (const ids of [never, always]) expect(await enrollmentsOf(ids.journeyId, late)).toHaveLength(1);

    // Leaves, then comes back: a new entry. `never` keeps it out; `always` enrolls it again.
    await setPlan(late, "free");
    clock.set(new Date("2027-03-01T10:46:00Z"));
    await fireAndSettle("plan-journey-segments", "evaluate-journey-segment", 2);
    await setPlan(late, "pro");
    clock.set(new Date("2027-03-01T11:01:00Z"));
    await fireAndSettle("plan-journey-segments", "evaluate-journey-segment", 2);
    await allEnded(always.journeyId);
    expect(await enrollmentsOf(never.journeyId, late)).toHaveLength(1);
    expect((await enrollmentsOf(always.journeyId, late)).map((row) => row.status)).toEqual(["completed", "completed"]);
    expect(await enrollmentsOf(always.journeyId, early)).toHaveLength(1);
    vi.useRealTimers();
  });
});

describe("a date-triggered journey", () => {
  it("enrolls each contact at 09:00 local on its birthday, once, and not again on a second plan or a replay", { timeout: 300_000 }, async () => {
    const clock = useTestClock(new Date("2027-02-28T00:05:00Z"));
    const rows = await database.db
      .insert(contacts)
      .values([
        { workspaceId, email: "paul@example.com", timezone: "Europe/Paris", birthdayMonth: 2, birthdayDay: 28 },
        { workspaceId, email: "leap@example.com", timezone: "Europe/Paris", birthday: "2000-02-29", birthdayMonth: 2, birthdayDay: 29 },
        { workspaceId, email: "taro@example.com", timezone: "Asia/Tokyo", birthdayMonth: 2, birthdayDay: 28 },
        { workspaceId, email: "march@example.com", timezone: "Europe/Paris", birthdayMonth: 3, birthdayDay: 1 },
      ])
      .returning();
    const [paul, leap, taro, march] = rows.map((row) => row.id) as [string, string, string, string];
    const ids = await publishedJourney("Birthday", { trigger: { type: "date", dateField: "birthday", hour: 9 }, reentry: { mode: "always" }, start: "done", nodes: [{ id: "done", type: "exit" }] });
    const enrolled = async () =>
      (await database.db.select().from(journeyEnrollments).where(eq(journeyEnrollments.journeyId, ids.journeyId))).map((row) => row.contactId).sort();

    // 00:05 UTC is 09:05 in Tokyo: Taro only.
    await fireAndSettle("plan-date-automations", "enroll-journey-date", 1);
    expect(await enrolled()).toEqual([taro]);

    // 08:05 UTC is 09:05 in Paris: Paul, and the leapling (29 February on the 28th in 2027).
    clock.set(new Date("2027-02-28T08:05:00Z"));
    await fireAndSettle("plan-date-automations", "enroll-journey-date", 1);
    expect(await enrolled()).toEqual([paul, leap, taro].sort());
    await allEnded(ids.journeyId);

    // The plan again 15 minutes later, the Paris event replayed under its own id and under a new one, a run replayed: nobody twice.
    clock.set(new Date("2027-02-28T08:20:00Z"));
    await fireAndSettle("plan-date-automations", "enroll-journey-date", 0);
    const journey = (await getJourney(database.db, { workspaceId, journeyId: ids.journeyId }))!;
    const paris = { workspaceId, journeyId: ids.journeyId, version: ids.version, zone: "Europe/Paris", localDate: "2027-02-28" };
    const before = (await runsOf("enroll-journey-date")).length;
    await app.engine.send([
      { name: "journey/date.due", data: paris, id: journeyDueEventId(ids.journeyId, ids.version, journey.updatedAt.getTime(), paris) },
      { name: "journey/date.due", data: paris, id: "replayed-by-hand" },
    ]);
    const completed = (await runsOf("enroll-journey-date")).filter((run) => run.status === "completed");
    for (const run of completed.slice(0, 1)) await app.engine.replay(run.id);
    await waitFor(() => runsOf("enroll-journey-date"), (runs) => runs.length >= before + 2 && runs.every((run) => settled(run.status)), 60_000);
    await waitFor(() => runsOf("run-journey-enrollment"), (runs) => runs.every((run) => settled(run.status)), 60_000);
    expect(await enrolled()).toEqual([paul, leap, taro].sort());
    expect(await enrollmentsOf(ids.journeyId, march)).toEqual([]);
    expect((await enrollmentsOf(ids.journeyId, paul))[0]).toMatchObject({ status: "completed", trigger: { kind: "date", key: `date-${ids.journeyId}-2027` } });
    vi.useRealTimers();
  });
});
