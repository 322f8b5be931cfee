import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listJourneyStepPreviews } from "@/db/queries/journey-step-previews";
import { insertJourney } from "@/db/queries/journeys";
import { templates } from "@/db/schema";
import { prerenderJourneyPreviews } from "@/lib/journeys/prerender-journey-previews";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let templateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Canvas previews" }));
  templateId = (await database.db.insert(templates).values({ workspaceId, channel: "email", name: "welcome", subject: "Hello {{ contact.first_name }}", body: "<p>Welcome to {{ journey.name }}</p>" }).returning())[0]!.id;
});
afterAll(async () => {
  await database?.close();
});

const draft = (sendTemplateId: string) => ({
  trigger: { type: "event", eventName: "signup" },
  start: "welcome",
  nodes: [
    { id: "welcome", type: "send", channel: "email", templateId: sendTemplateId, next: "done" },
    { id: "half-built", type: "send", channel: "email", templateId: "", next: "done" },
    { id: "done", type: "exit" },
  ],
});

describe("prerenderJourneyPreviews: send steps' previews rendered on save", () => {
  it("renders each send step for the sample contact once, again when its template changes, and forgets removed steps", async () => {
    const journey = await insertJourney(database.db, { workspaceId, name: "Onboarding", draft: draft(templateId), savedBy: null, now: new Date() });
    const render = (graph: Record<string, unknown>) => prerenderJourneyPreviews(database.db, { workspaceId, journey, draft: graph, now: new Date() });

    expect(await render(draft(templateId))).toEqual(["welcome"]);
    const [stored] = await listJourneyStepPreviews(database.db, { journeyId: journey.id });
    expect(stored).toMatchObject({ stepId: "welcome", templateId, problem: null, preview: { channel: "email", subject: "Hello Ada", html: expect.stringContaining("Welcome to Onboarding") } });

    expect(await render(draft(templateId))).toEqual([]);
    await database.db.update(templates).set({ subject: "Hi {{ contact.first_name }}", updatedAt: new Date(Date.now() + 1_000) }).where(eq(templates.id, templateId));
    expect(await render(draft(templateId))).toEqual(["welcome"]);
    expect((await listJourneyStepPreviews(database.db, { journeyId: journey.id }))[0]?.preview).toMatchObject({ subject: "Hi Ada" });

    expect(await render({ ...draft(templateId), nodes: [{ id: "done", type: "exit" }] })).toEqual([]);
    expect(await listJourneyStepPreviews(database.db, { journeyId: journey.id })).toEqual([]);
  });

  it("stores why a template cannot render instead of a preview", async () => {
    const broken = (await database.db.insert(templates).values({ workspaceId, channel: "email", name: "broken", subject: "Hi {{ contact.first_name | nosuchfilter }}", body: "<p>x</p>" }).returning())[0]!.id;
    const journey = await insertJourney(database.db, { workspaceId, name: "Broken", draft: draft(broken), savedBy: null, now: new Date() });
    await prerenderJourneyPreviews(database.db, { workspaceId, journey, draft: draft(broken), now: new Date() });
    expect((await listJourneyStepPreviews(database.db, { journeyId: journey.id }))[0]).toMatchObject({ preview: null, problem: expect.stringContaining("The template cannot render") });
  });
});
