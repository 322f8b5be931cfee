import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, templates } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

// The routes send events to an Inngest server; a loopback recorder plays that part here. The
// engine flow (test/e2e/journeys-flow.test.ts) runs the functions behind them.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const list = await import("@/app/api/v1/journeys/route");
const one = await import("@/app/api/v1/journeys/[id]/route");
const draft = await import("@/app/api/v1/journeys/[id]/draft/route");
const publish = await import("@/app/api/v1/journeys/[id]/publish/route");
const pause = await import("@/app/api/v1/journeys/[id]/pause/route");
const resume = await import("@/app/api/v1/journeys/[id]/resume/route");
const archive = await import("@/app/api/v1/journeys/[id]/archive/route");
const steps = await import("@/app/api/v1/journeys/[id]/versions/[version]/steps/route");
const enrollments = await import("@/app/api/v1/journeys/[id]/enrollments/route");
const enrollment = await import("@/app/api/v1/journeys/[id]/enrollments/[enrollmentId]/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let templateId: string;
let contactId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Journeys API" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  templateId = (await database.db.insert(templates).values({ workspaceId, channel: "email", name: "hello", subject: "Hello", body: "<p>Hi</p>" }).returning())[0]!.id;
  contactId = (await database.db.insert(contacts).values({ workspaceId, email: "gus@example.com" }).returning())[0]!.id;
});
afterAll(async () => {
  await database?.close();
  await recorder.stop();
});

const graph = (templateIdOfSend: string) => ({
  trigger: { type: "event", eventName: "signup" },
  start: "hello",
  nodes: [
    { id: "hello", type: "send", channel: "email", templateId: templateIdOfSend, next: "done" },
    { id: "done", type: "exit" },
  ],
});
const create = (body: unknown, key = apiKey) => callRoute(list.POST, { method: "POST", path: "/api/v1/journeys", apiKey: key, body });
const save = (id: string, body: unknown) => callRoute(draft.PUT, { method: "PUT", path: `/api/v1/journeys/${id}/draft`, apiKey, params: { id }, body });
const act = (handler: typeof publish.POST, id: string, key = apiKey) => callRoute(handler, { method: "POST", path: `/api/v1/journeys/${id}/x`, apiKey: key, params: { id } });

describe("journeys API", () => {
  it("creates a journey as a draft at revision 0, and refuses bad input with field errors", async () => {
    const created = await create({ name: "Welcome" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Welcome", status: "draft", publishedVersion: null, draftRevision: 0, draft: { trigger: { type: "event", eventName: "signup" }, nodes: [] } });
    const bad = await create({ name: "", extra: 1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(["name"]));
  });

  it("saves the draft on its base revision and refuses a stale one with 409 and the current revision", async () => {
    const { body: journey } = await create({ name: "Editors" });
    const first = await save(journey.id, { baseRevision: 0, draft: graph(templateId) });
    expect(first.status).toBe(200);
    expect(first.body.draftRevision).toBe(1);
    const stale = await save(journey.id, { baseRevision: 0, draft: { ...graph(templateId), start: "done" } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ currentRevision: 1, error: { code: "stale_revision", message: expect.stringContaining("now at revision 1") } });
    expect((await callRoute(one.GET, { path: "/", apiKey, params: { id: journey.id } })).body.draft.start).toBe("hello");
  });

  it("refuses to publish an invalid graph, listing the errors by step", async () => {
    const missing = "00000000-0000-4000-8000-00000000dead";
    const { body: journey } = await create({
      name: "Broken",
      draft: { ...graph(missing), nodes: [...graph(missing).nodes, { id: "lost", type: "wait", duration: { amount: 1, unit: "days" } }] },
    });
    const refused = await act(publish.POST, journey.id);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: "lost", field: "next" }),
        expect.objectContaining({ nodeId: "lost", message: expect.stringContaining("orphan") }),
      ]),
    );
    await save(journey.id, { baseRevision: 0, draft: graph(missing) });
    const unknownTemplate = await act(publish.POST, journey.id);
    expect(unknownTemplate.body.errors).toEqual([{ nodeId: "hello", field: "templateId", message: "no such template in this workspace" }]);
  });

  it("publishes versions, pauses, resumes, enrolls by hand and shows counts and timelines", async () => {
    const { body: journey } = await create({ name: "Live", draft: graph(templateId) });
    const published = await act(publish.POST, journey.id);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: 1, journey: { status: "active", publishedVersion: 1 } });
    expect((await act(publish.POST, journey.id)).body.version).toBe(2);

    const enrolled = await callRoute(enrollments.POST, { method: "POST", path: "/", apiKey, params: { id: journey.id }, body: { contactId } });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({ version: 2, status: "active", contactId, currentStepId: "hello" });
    expect(recorder.events).toContainEqual(expect.objectContaining({ name: "journey/enrollment.started", id: `journey-enrollment-${enrolled.body.id}` }));
    const again = await callRoute(enrollments.POST, { method: "POST", path: "/", apiKey, params: { id: journey.id }, body: { contactId } });
    expect(again.status).toBe(409);

    const listed = await callRoute(list.GET, { path: "/api/v1/journeys", apiKey });
    expect(listed.body.data.find((row: { id: string }) => row.id === journey.id)).toMatchObject({ activeEnrollments: 1 });
    const page = await callRoute(enrollments.GET, { path: "/?status=active", apiKey, params: { id: journey.id } });
    expect(page.body.data).toHaveLength(1);
    const detail = await callRoute(enrollment.GET, { path: "/", apiKey, params: { id: journey.id, enrollmentId: enrolled.body.id } });
    expect(detail.body).toMatchObject({ id: enrolled.body.id, timeline: [] });
    const counts = await callRoute(steps.GET, { path: "/", apiKey, params: { id: journey.id, version: "2" } });
    expect(counts.body).toMatchObject({ version: 2, steps: { hello: { entered: 0, waiting: 1, passed: 0, exited: 0 } } });

    expect((await act(pause.POST, journey.id)).body).toMatchObject({ status: "paused", statusReason: "paused by a person" });
    expect((await act(pause.POST, journey.id)).status).toBe(409);
    expect((await act(resume.POST, journey.id)).body).toMatchObject({ status: "active", statusReason: null });
    expect(recorder.events).toContainEqual(expect.objectContaining({ name: "journey/journey.resumed", data: { workspaceId, journeyId: journey.id } }));
    expect((await act(archive.POST, journey.id)).body.status).toBe("archived");
    expect((await act(publish.POST, journey.id)).status).toBe(409);
  });

  it("answers 404 for another workspace's journey", async () => {
    const { body: journey } = await create({ name: "Mine" });
    expect((await callRoute(one.GET, { path: "/", apiKey: otherKey, params: { id: journey.id } })).status).toBe(404);
    expect((await act(publish.POST, journey.id, otherKey)).status).toBe(404);
    expect((await callRoute(one.GET, { path: "/", apiKey, params: { id: "not-a-uuid" } })).status).toBe(404);
  });
});
