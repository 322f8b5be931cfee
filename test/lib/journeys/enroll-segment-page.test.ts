import { asc, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertJourney, listEnrollments, publishJourneyVersion } from "@/db/queries/journeys";
import { insertSegment } from "@/db/queries/segments";
import { contacts } from "@/db/schema";
import { enrollSegmentPage } from "@/lib/journeys/enroll-segment-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let segmentId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Segment journeys" }));
  segmentId = (await insertSegment(database.db, { workspaceId, name: "Members", filter: { field: "email", op: "ends_with", value: "@members.example" } }))!.id;
  await database.db.insert(contacts).values([
    ...Array.from({ length: 5 }, (_, n) => ({ workspaceId, email: `m${n}@members.example` })),
    { workspaceId, email: "gone@members.example", status: "unsubscribed" as const },
    { workspaceId, email: "someone@else.example" },
  ]);
});
afterAll(async () => {
  await database?.close();
});

async function segmentJourney(reentry: Record<string, unknown>) {
  const now = new Date();
  const graph = { trigger: { type: "segment", segmentId }, reentry, goal: null, start: "done", nodes: [{ id: "done", type: "exit" }] };
  const journey = await insertJourney(database.db, { workspaceId, name: `Segment ${JSON.stringify(reentry)}`, draft: graph, savedBy: null, now });
  const published = await publishJourneyVersion(database.db, { workspaceId, journeyId: journey.id, graph, publishedBy: "test", now });
  return { journeyId: journey.id, version: published!.version };
}

/** Walks every page the way enroll-journey-segment does. */
async function enrollAll(ids: { journeyId: string; version: number }, pageSize: number) {
  const pages: number[] = [];
  let afterId: string | null = null;
  for (;;) {
    const page = await enrollSegmentPage(database.db, { workspaceId, ...ids, afterId, now: new Date(), pageSize });
    if ("stopped" in page) throw new Error(page.stopped);
    pages.push(page.enrolled.length);
    if (!page.nextAfterId) return pages;
    afterId = page.nextAfterId;
  }
}

describe("enrollSegmentPage", () => {
  it("pages through the segment by contact id, enrolling its subscribed members in bulk", async () => {
    const ids = await segmentJourney({ mode: "never" });
    // 6 contacts match: pages of 2 by contact id, then an empty one ends it. The unsubscribed one
    // is read but skipped, so its page (wherever its random id sorts) enrolls 1.
    const members = await database.db.select({ id: contacts.id, status: contacts.status }).from(contacts).where(like(contacts.email, "%@members.example")).orderBy(asc(contacts.id));
    const expected = [2, 2, 2, 0];
    expected[Math.floor(members.findIndex((row) => row.status === "unsubscribed") / 2)]! -= 1;
    expect(await enrollAll(ids, 2)).toEqual(expected);
    const enrolled = await listEnrollments(database.db, { workspaceId, journeyId: ids.journeyId, limit: 100 });
    expect(enrolled).toHaveLength(5);
    expect(enrolled.every((row) => row.status === "active" && row.version === ids.version && row.trigger.kind === "segment")).toBe(true);
  });

  it("returns the same enrollments when a page is retried, so their start events are sent again, not new ones", async () => {
    const ids = await segmentJourney({ mode: "never" });
    const first = await enrollSegmentPage(database.db, { workspaceId, ...ids, afterId: null, now: new Date(), pageSize: 10 });
    const retried = await enrollSegmentPage(database.db, { workspaceId, ...ids, afterId: null, now: new Date(), pageSize: 10 });
    if ("stopped" in first || "stopped" in retried) throw new Error("stopped");
    expect(retried.enrolled.map((row) => row.id).sort()).toEqual(first.enrolled.map((row) => row.id).sort());
    expect(await listEnrollments(database.db, { workspaceId, journeyId: ids.journeyId, limit: 100 })).toHaveLength(5);
  });

  it("stops when the journey is no longer active on that version", async () => {
    const ids = await segmentJourney({ mode: "always" });
    expect(await enrollSegmentPage(database.db, { workspaceId, ...ids, version: ids.version + 1, afterId: null, now: new Date() })).toEqual({ stopped: "journey not active on this version" });
  });
});
