import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getJourneyAbAssignment } from "@/db/queries/journey-ab-tests";
import { insertEnrollment, insertJourney } from "@/db/queries/journeys";
import { advanceMessageStatus } from "@/db/queries/messages";
import { contacts, templates } from "@/db/schema";
import { journeyGraph } from "@/core/journeys/graph";
import { publishJourney } from "@/lib/journeys/manage-journey";
import { takeJourneyStep } from "@/lib/journeys/take-step";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

const results = await import("@/app/api/v1/journeys/[id]/versions/[version]/ab-tests/route");
const winner = await import("@/app/api/v1/journeys/[id]/versions/[version]/ab-tests/[stepId]/winner/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let journeyId: string;
let templateId: string;
const draft = (sendTemplateId: string) => ({
  trigger: { type: "event", eventName: "signup" },
  start: "hello",
  nodes: [
    { id: "hello", type: "send", channel: "email", templateId: sendTemplateId, abTest: { metric: "clicks", variants: [{ subject: "A" }, { subject: "B" }] }, next: "done" },
    { id: "done", type: "exit" },
  ],
});

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Journey A/B API" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  templateId = (await database.db.insert(templates).values({ workspaceId, channel: "email", name: "hello", subject: "Hello", body: "<p>Hi</p>" }).returning())[0]!.id;
  const now = new Date();
  journeyId = (await insertJourney(database.db, { workspaceId, name: "A/B", draft: draft(templateId), savedBy: "test", now })).id;
  expect(await publishJourney(database.db, { workspaceId, journeyId, publishedBy: "test", now })).toMatchObject({ ok: true });
});
afterAll(() => database?.close());

const read = (key = apiKey, version = "1") => callRoute(results.GET, { path: `/api/v1/journeys/${journeyId}/versions/${version}/ab-tests`, apiKey: key, params: { id: journeyId, version } });
const pick = (stepId = "hello", key = apiKey) =>
  callRoute(winner.POST, { method: "POST", path: `/api/v1/journeys/${journeyId}/versions/1/ab-tests/${stepId}/winner`, apiKey: key, params: { id: journeyId, version: "1", stepId } });

describe("a journey version's A/B tests through the API", () => {
  it("lists the A/B steps before anyone arrives; another workspace and a missing version get 404", async () => {
    const response = await read();
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 1, steps: [{ stepId: "hello", state: "not_started", metric: "clicks", sampleSize: 100, windowHours: 24, canPickNow: false, leader: null, winner: null }] });
    expect(response.body.steps[0].variants.map((v: { variant: string; subject: string }) => [v.variant, v.subject])).toEqual([
      ["A", "A"],
      ["B", "B"],
    ]);
    expect((await read(otherKey)).status).toBe(404);
    expect((await read(apiKey, "2")).status).toBe(404);
  });

  it("refuses a pick with nothing sent (409) or for a step without a test (404), then picks once", async () => {
    expect((await pick("done")).status).toBe(404);
    expect((await pick()).status).toBe(409);
    const node = journeyGraph.parse(draft(templateId)).nodes[0]!;
    for (const email of ["a@example.com", "b@example.com", "c@example.com"]) {
      const [contact] = await database.db.insert(contacts).values({ workspaceId, email }).returning();
      const enrollment = (await insertEnrollment(database.db, { workspaceId, journeyId, version: 1, contactId: contact!.id, trigger: {}, startStepId: "hello", now: new Date() }))!;
      await takeJourneyStep(database.db, { workspaceId, enrollmentId: enrollment.id, node, visit: 1, arrival: null, sends: {}, lastSend: null, now: new Date() });
      const assignment = (await getJourneyAbAssignment(database.db, { enrollmentId: enrollment.id, nodeId: "hello", visit: 1 }))!;
      await advanceMessageStatus(database.db, { workspaceId, messageId: assignment.messageId!, to: "sent" });
    }
    expect((await read()).body.steps[0]).toMatchObject({ state: "testing", canPickNow: true, leader: { variant: "A", pValue: 1 } });
    expect((await pick("hello", otherKey)).status).toBe(404);
    const picked = await pick();
    expect(picked.status).toBe(200);
    expect(picked.body).toMatchObject({ stepId: "hello", state: "decided", canPickNow: false, winner: { variant: "A", decidedBy: "manual", significant: false } });
    const again = await pick();
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("The A/B test's winner is already picked");
  });
});
