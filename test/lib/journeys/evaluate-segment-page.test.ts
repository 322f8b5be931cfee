import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { dropSegmentLeavers, listSegmentMembers } from "@/db/queries/journey-segment-members";
import { endEnrollment, insertJourney, publishJourneyVersion, setJourneyStatus } from "@/db/queries/journeys";
import { insertSegment } from "@/db/queries/segments";
import { contacts, journeyEnrollments } from "@/db/schema";
import { enrollSegmentPage } from "@/lib/journeys/enroll-segment-page";
import { evaluateSegmentPage } from "@/lib/journeys/evaluate-segment-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let segmentId: string;
const DAY_MS = 86_400_000;
const start = new Date("2027-03-01T10:00:00Z");
const later = (days: number) => new Date(start.getTime() + days * DAY_MS);

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Segment entry" }));
  // The segment: contacts whose attribute `plan` is `pro`.
  segmentId = (await insertSegment(database.db, { workspaceId, name: "Pro", filter: { attribute: "plan", op: "eq", value: "pro" } }))!.id;
});
afterAll(async () => {
  await database?.close();
});

const newContact = async (plan: string) => (await database.db.insert(contacts).values({ workspaceId, email: `${crypto.randomUUID()}@example.com`, attributes: { plan } }).returning())[0]!.id;
const setPlan = (contactId: string, plan: string) => database.db.update(contacts).set({ attributes: { plan } }).where(eq(contacts.id, contactId));
const enrollmentsOf = (journeyId: string, contactId: string) =>
  database.db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.journeyId, journeyId), eq(journeyEnrollments.contactId, contactId)));

/** Publishes and runs the publish fan-out (one page), as enroll-journey-segment does. */
async function publishedSegmentJourney(reentry: Record<string, unknown>, now: Date) {
  const graph = { trigger: { type: "segment", segmentId }, reentry, goal: null, start: "done", nodes: [{ id: "done", type: "exit" }] };
  const journey = await insertJourney(database.db, { workspaceId, name: `Pro ${JSON.stringify(reentry)}`, draft: graph, savedBy: null, now });
  const { version } = (await publishJourneyVersion(database.db, { workspaceId, journeyId: journey.id, graph, publishedBy: "test", now }))!;
  const page = await enrollSegmentPage(database.db, { workspaceId, journeyId: journey.id, version, afterId: null, now, pageSize: 1_000 });
  if ("stopped" in page) throw new Error(page.stopped);
  return { journeyId: journey.id, version };
}

/** One whole evaluation, pages of `pageSize`, as evaluate-journey-segment runs it. */
async function evaluate(ids: { journeyId: string; version: number }, now: Date, pageSize = 2) {
  let afterId: string | null = null;
  const enrolled: string[] = [];
  for (;;) {
    const page = await evaluateSegmentPage(database.db, { workspaceId, ...ids, afterId, stamp: now, now, pageSize });
    if ("stopped" in page) return { stopped: page.stopped, enrolled };
    enrolled.push(...page.enrolled.map((row) => row.contactId));
    if (!page.nextAfterId) break;
    afterId = page.nextAfterId;
  }
  const left = await dropSegmentLeavers(database.db, { ...ids, stamp: now });
  return { enrolled: enrolled.sort(), left };
}
const finish = async (journeyId: string, contactId: string, now: Date) => {
  for (const row of await enrollmentsOf(journeyId, contactId)) await endEnrollment(database.db, { enrollmentId: row.id, status: "completed", reason: null, now });
};

describe("evaluateSegmentPage", () => {
  it("publish seeds the members it enrolls: the next evaluation enrolls no one twice, only a contact that entered since", async () => {
    const present = await newContact("pro");
    const ids = await publishedSegmentJourney({ mode: "never" }, start);
    expect((await listSegmentMembers(database.db, ids)).map((row) => row.contactId)).toContain(present);
    expect(await evaluate(ids, later(0.01))).toEqual({ enrolled: [], left: 0 });

    const arrived = await newContact("free");
    await setPlan(arrived, "pro");
    expect(await evaluate(ids, later(0.02))).toEqual({ enrolled: [arrived], left: 0 });
    expect(await evaluate(ids, later(0.03))).toEqual({ enrolled: [], left: 0 });
    expect(await enrollmentsOf(ids.journeyId, arrived)).toHaveLength(1);
    expect((await enrollmentsOf(ids.journeyId, arrived))[0]!.trigger).toMatchObject({ kind: "segment", properties: { segmentId } });
    expect(await enrollmentsOf(ids.journeyId, present)).toHaveLength(1);
  });

  it("records a leaver, and a return is a new entry that the re-entry rule judges: never blocks it, after N days waits, always lets it in", async () => {
    const rules = { never: await publishedSegmentJourney({ mode: "never" }, start), after: await publishedSegmentJourney({ mode: "after", days: 7 }, start), always: await publishedSegmentJourney({ mode: "always" }, start) };
    // Joins the segment after the three were published: each enrolls it at its next evaluation.
    const contact = await newContact("pro");
    for (const ids of Object.values(rules)) expect((await evaluate(ids, later(1))).enrolled).toContain(contact);
    for (const ids of Object.values(rules)) await finish(ids.journeyId, contact, later(1.5));

    // Leaves on day 2, is back on day 3.
    await setPlan(contact, "free");
    for (const ids of Object.values(rules)) expect(await evaluate(ids, later(2))).toMatchObject({ enrolled: [], left: 1 });
    await setPlan(contact, "pro");
    expect((await evaluate(rules.never, later(3))).enrolled).toEqual([]);
    expect((await evaluate(rules.after, later(3))).enrolled).toEqual([]);
    expect((await evaluate(rules.always, later(3))).enrolled).toEqual([contact]);
    expect(await enrollmentsOf(rules.always.journeyId, contact)).toHaveLength(2);

    // Out and back again after the 7 days: `after` lets it in now.
    await setPlan(contact, "free");
    await evaluate(rules.after, later(9));
    await setPlan(contact, "pro");
    expect((await evaluate(rules.after, later(10))).enrolled).toEqual([contact]);
    expect((await evaluate(rules.never, later(10))).enrolled).toEqual([]);
    expect(await enrollmentsOf(rules.never.journeyId, contact)).toHaveLength(1);
  });

  it("returns the same enrollments when a page is retried under the same stamp, so their start events are sent again, not new ones", async () => {
    const ids = await publishedSegmentJourney({ mode: "always" }, start);
    const contact = await newContact("pro");
    const stamp = later(4);
    const first = await evaluateSegmentPage(database.db, { workspaceId, ...ids, afterId: null, stamp, now: stamp, pageSize: 1_000 });
    const retried = await evaluateSegmentPage(database.db, { workspaceId, ...ids, afterId: null, stamp, now: stamp, pageSize: 1_000 });
    if ("stopped" in first || "stopped" in retried) throw new Error("stopped");
    expect(first.enrolled.map((row) => row.contactId)).toContain(contact);
    expect(retried.enrolled).toEqual(first.enrolled);
    expect(await enrollmentsOf(ids.journeyId, contact)).toHaveLength(1);
  });

  it("stops for a paused journey and for a version that is no longer the published one", async () => {
    const ids = await publishedSegmentJourney({ mode: "never" }, start);
    expect(await evaluateSegmentPage(database.db, { workspaceId, ...ids, version: ids.version + 1, afterId: null, stamp: start, now: start })).toEqual({ stopped: "journey not active on this version" });
    await setJourneyStatus(database.db, { workspaceId, journeyId: ids.journeyId, status: "paused", from: ["active"], reason: "test", now: start });
    expect(await evaluateSegmentPage(database.db, { workspaceId, ...ids, afterId: null, stamp: start, now: start })).toEqual({ stopped: "journey not active on this version" });
  });
});
