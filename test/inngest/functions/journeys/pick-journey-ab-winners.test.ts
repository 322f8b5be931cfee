import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getJourneyAbAssignment, getJourneyAbTest } from "@/db/queries/journey-ab-tests";
import { insertEnrollment, insertJourney } from "@/db/queries/journeys";
import { advanceMessageStatus } from "@/db/queries/messages";
import { contacts, journeyAbTests, templates } from "@/db/schema";
import { journeyGraph } from "@/core/journeys/graph";
import { JOURNEY_AB_MAX_DAYS } from "@/core/journeys/journey-ab-test";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { takeJourneyStep } from "@/lib/journeys/take-step";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

const { JOURNEY_AB_PAGE, pickJourneyAbWinners } = await import("@/inngest/functions/journeys/pick-journey-ab-winners");

let database: Database;
let workspaceId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "A/B cron" }));
}, 120_000);
afterAll(() => database.close());

describe("pick-journey-ab-winners", () => {
  it("pages through every open test by its keyset and records the winner of the one that is due, once", async () => {
    const templateId = (await database.db.insert(templates).values({ workspaceId, channel: "email", name: "hi", subject: "Hi", body: "<p>Hi</p>" }).returning())[0]!.id;
    const draft = {
      trigger: { type: "event", eventName: "signup" },
      start: "welcome",
      nodes: [
        { id: "welcome", type: "send", channel: "email", templateId, abTest: { metric: "opens", variants: [{ subject: "A" }, { subject: "B" }] }, next: "done" },
        { id: "done", type: "exit" },
      ],
    };
    const now = Date.now();
    const longAgo = new Date(now - (JOURNEY_AB_MAX_DAYS + 1) * DAY);
    const { id: journeyId } = await insertJourney(database.db, { workspaceId, name: "Cron", draft, savedBy: "test", now: longAgo });
    expect(await publishJourney(database.db, { workspaceId, journeyId, publishedBy: "test", now: longAgo })).toMatchObject({ ok: true });
    // Two and a half pages of open tests that are not due (their steps have no test in the version), older than the real one.
    const ghosts = Math.round(JOURNEY_AB_PAGE * 2.5);
    await database.db
      .insert(journeyAbTests)
      .values(Array.from({ length: ghosts }, (_, i) => ({ journeyId, version: 1, nodeId: `ghost-${i}`, workspaceId, startedAt: new Date(longAgo.getTime() - DAY + i * 1000) })));
    // The real test started past the time limit, with a send per enrollment.
    const node = journeyGraph.parse(draft).nodes[0]!;
    for (const email of ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]) {
      const [contact] = await database.db.insert(contacts).values({ workspaceId, email }).returning();
      const enrollment = (await insertEnrollment(database.db, { workspaceId, journeyId, version: 1, contactId: contact!.id, trigger: {}, startStepId: "welcome", now: longAgo }))!;
      await takeJourneyStep(database.db, { workspaceId, enrollmentId: enrollment.id, node, visit: 1, arrival: null, sends: {}, lastSend: null, now: longAgo });
      const assignment = (await getJourneyAbAssignment(database.db, { enrollmentId: enrollment.id, nodeId: "welcome", visit: 1 }))!;
      await advanceMessageStatus(database.db, { workspaceId, messageId: assignment.messageId!, to: "sent", at: longAgo });
    }

    const run = () => new InngestTestEngine({ function: pickJourneyAbWinners }).execute({ events: [{ name: "inngest/scheduled.timer", data: {} }] } as never);
    expect((await run()).result).toEqual({ picked: 1, open: ghosts + 1 });
    expect(await getJourneyAbTest(database.db, { journeyId, version: 1, nodeId: "welcome" })).toMatchObject({ winner: expect.any(Number), decidedBy: "window" });
    // The next tick: the decided test has left the open list, and nothing is recorded again.
    expect((await run()).result).toEqual({ picked: 0, open: ghosts });
  });
});
