import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertJourney, publishJourneyVersion, setJourneyStatus } from "@/db/queries/journeys";
import { insertSegment } from "@/db/queries/segments";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { requestSegmentEvaluations } = await import("@/inngest/functions/journeys/request-segment-evaluations");

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Changes" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Elsewhere" }));
}, 120_000);
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

async function journey(workspace: string, trigger: Record<string, unknown>) {
  const now = new Date();
  const graph = { trigger, start: "done", nodes: [{ id: "done", type: "exit" }] };
  const row = await insertJourney(database.db, { workspaceId: workspace, name: "J", draft: graph, savedBy: null, now });
  await publishJourneyVersion(database.db, { workspaceId: workspace, journeyId: row.id, graph, publishedBy: "test", now });
  return row.id;
}

describe("request-segment-evaluations", () => {
  it("asks for an evaluation of each live segment-triggered journey of the workspace whose contacts changed, and of no other", async () => {
    const segmentId = (await insertSegment(database.db, { workspaceId, name: "All", filter: { field: "email", op: "ends_with", value: "@example.com" } }))!.id;
    const otherSegmentId = (await insertSegment(database.db, { workspaceId: otherWorkspaceId, name: "All", filter: { field: "email", op: "ends_with", value: "@example.com" } }))!.id;
    const live = await journey(workspaceId, { type: "segment", segmentId });
    const paused = await journey(workspaceId, { type: "segment", segmentId });
    await setJourneyStatus(database.db, { workspaceId, journeyId: paused, status: "paused", from: ["active"], reason: "test", now: new Date() });
    await journey(workspaceId, { type: "event", eventName: "signup" });
    await journey(otherWorkspaceId, { type: "segment", segmentId: otherSegmentId });

    const before = recorder.events.length;
    const { result } = await new InngestTestEngine({ function: requestSegmentEvaluations }).execute({
      events: [{ id: "evt-1", name: "contact/created", data: { workspaceId, contactId: "00000000-0000-4000-8000-000000000001" } }],
    } as never);
    expect(result).toEqual({ requested: 1 });
    expect(recorder.events.slice(before)).toEqual([
      expect.objectContaining({ name: "journey/segment-evaluation.requested", data: { workspaceId, journeyId: live, version: 1 }, id: `journey-segment-eval-${live}-v1-after-evt-1` }),
    ]);
  });
});
