import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { endEnrollment, insertJourney, publishJourneyVersion } from "@/db/queries/journeys";
import { contacts, journeyEnrollments } from "@/db/schema";
import { enrollDatePage } from "@/lib/journeys/enroll-date-page";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const people: Record<string, string> = {};
const feb28 = { year: 2027, month: 2, day: 28 };
const paris = { stored: ["Europe/Paris"], includesNone: true };
const now = new Date("2027-02-28T08:05:00Z");

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Date journeys" }));
  const rows = await database.db
    .insert(contacts)
    .values([
      { workspaceId, email: "paul@example.com", firstName: "Paul", timezone: "Europe/Paris", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "leap@example.com", firstName: "Leap", timezone: "Europe/Paris", birthday: "2000-02-29", birthdayMonth: 2, birthdayDay: 29 },
      { workspaceId, email: "zed@example.com", firstName: "Zed", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "taro@example.com", firstName: "Taro", timezone: "Asia/Tokyo", birthdayMonth: 2, birthdayDay: 28 },
      { workspaceId, email: "mars@example.com", firstName: "Mars", timezone: "Europe/Paris", birthdayMonth: 3, birthdayDay: 1 },
      { workspaceId, email: "gone@example.com", firstName: "Gone", timezone: "Europe/Paris", birthdayMonth: 2, birthdayDay: 28, status: "unsubscribed" },
    ])
    .returning();
  for (const row of rows) people[row.firstName!] = row.id;
});
afterAll(async () => {
  await database?.close();
});

async function dateJourney(reentry: Record<string, unknown>) {
  const graph = { trigger: { type: "date", dateField: "birthday", hour: 9 }, reentry, goal: null, start: "done", nodes: [{ id: "done", type: "exit" }] };
  const journey = await insertJourney(database.db, { workspaceId, name: `Birthday ${JSON.stringify(reentry)}`, draft: graph, savedBy: null, now });
  const { version } = (await publishJourneyVersion(database.db, { workspaceId, journeyId: journey.id, graph, publishedBy: "test", now }))!;
  return { journeyId: journey.id, version };
}
const names = (contactIds: string[]) => Object.entries(people).filter(([, id]) => contactIds.includes(id)).map(([name]) => name).sort();
const enrollmentsOf = (journeyId: string) => database.db.select().from(journeyEnrollments).where(and(eq(journeyEnrollments.journeyId, journeyId)));

describe("enrollDatePage", () => {
  it("enrolls the zone's subscribed contacts whose date it is — 29 February on 28 February in other years, no zone is the workspace's — keyed by journey and year", async () => {
    const ids = await dateJourney({ mode: "always" });
    const page = await enrollDatePage(database.db, { workspaceId, ...ids, date: feb28, zones: paris, afterId: null, now });
    if ("stopped" in page) throw new Error(page.stopped);
    expect(names(page.enrolled.map((row) => row.contactId))).toEqual(["Leap", "Paul", "Zed"]);
    expect(page.nextAfterId).toBeNull();
    const rows = await enrollmentsOf(ids.journeyId);
    expect(rows.every((row) => row.trigger.kind === "date" && row.trigger.key === `date-${ids.journeyId}-2027`)).toBe(true);
  });

  it("enrolls a contact once a year whatever the re-entry rule: a replay after its pass ended adds nothing, the next year enrolls it again", async () => {
    const ids = await dateJourney({ mode: "always" });
    await enrollDatePage(database.db, { workspaceId, ...ids, date: feb28, zones: paris, afterId: null, now });
    for (const row of await enrollmentsOf(ids.journeyId)) await endEnrollment(database.db, { enrollmentId: row.id, status: "completed", reason: null, now });
    const replay = await enrollDatePage(database.db, { workspaceId, ...ids, date: feb28, zones: paris, afterId: null, now });
    expect(replay).toMatchObject({ enrolled: [] });
    expect(await enrollmentsOf(ids.journeyId)).toHaveLength(3);
    const nextYear = await enrollDatePage(database.db, { workspaceId, ...ids, date: { ...feb28, year: 2028 }, zones: paris, afterId: null, now: new Date("2028-02-28T08:05:00Z") });
    if ("stopped" in nextYear) throw new Error(nextYear.stopped);
    // 2028 is a leap year: the leapling waits for the 29th.
    expect(names(nextYear.enrolled.map((row) => row.contactId))).toEqual(["Paul", "Zed"]);
  });

  it("returns the same enrollments when a page is retried before they ended, so their start events are sent again", async () => {
    const ids = await dateJourney({ mode: "never" });
    const first = await enrollDatePage(database.db, { workspaceId, ...ids, date: feb28, zones: paris, afterId: null, now });
    const retried = await enrollDatePage(database.db, { workspaceId, ...ids, date: feb28, zones: paris, afterId: null, now });
    if ("stopped" in first || "stopped" in retried) throw new Error("stopped");
    expect(retried.enrolled.map((row) => row.id).sort()).toEqual(first.enrolled.map((row) => row.id).sort());
  });

  it("stops for a version that is not the published one", async () => {
    const ids = await dateJourney({ mode: "never" });
    expect(await enrollDatePage(database.db, { workspaceId, ...ids, version: 2, date: feb28, zones: paris, afterId: null, now })).toEqual({ stopped: "journey not active on this version" });
  });
});
