import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { transitionCampaign } from "@/db/queries/campaigns";
import { insertTemplate } from "@/db/queries/templates";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

// The routes send their events to an Inngest server; a loopback recorder plays that part.
const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const campaigns = await import("@/app/api/v1/campaigns/route");
const results = await import("@/app/api/v1/campaigns/[id]/ab-test/route");
const winner = await import("@/app/api/v1/campaigns/[id]/ab-test/winner/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let listId: string;
let templateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "A/B routes" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  ({ listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 3 }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const abTest = { variants: [{ subject: "A" }, { subject: "B" }], testPercent: 20, windowMinutes: 60, metric: "opens" };
const create = (body: Record<string, unknown>) => callRoute(campaigns.POST, { method: "POST", path: "/api/v1/campaigns", apiKey, body: { name: "Spring", channel: "email", templateId, audience: { listId }, ...body } });
const read = (id: string, key = apiKey) => callRoute(results.GET, { path: `/api/v1/campaigns/${id}/ab-test`, apiKey: key, params: { id } });
const pick = (id: string, key = apiKey) => callRoute(winner.POST, { method: "POST", path: `/api/v1/campaigns/${id}/ab-test/winner`, apiKey: key, params: { id } });

describe("an A/B campaign through the API", () => {
  it("is created with its test, shown on the campaign and at …/ab-test before it starts", async () => {
    const created = await create({ abTest });
    expect(created.status).toBe(201);
    expect(created.body.abTest).toMatchObject({
      metric: "opens",
      testPercent: 20,
      windowMinutes: 60,
      decideAt: null,
      state: "not_started",
      canPickNow: false,
      leader: null,
      winner: null,
      variants: [
        { variant: "A", subject: "A", sent: 0, conversions: 0, rate: 0 },
        { variant: "B", subject: "B", sent: 0, conversions: 0, rate: 0 },
      ],
    });
    expect((await read(created.body.id)).body).toEqual(created.body.abTest);
  });

  it("refuses a variant template of another channel or workspace, and one that cannot render for the audience", async () => {
    const sms = (await insertTemplate(database.db, { workspaceId, channel: "sms", name: "sms", subject: null, body: "Hi" }))!;
    const wrong = await create({ abTest: { ...abTest, variants: [{ subject: "A" }, { templateId: sms.id }] } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ "abTest.variants.1.templateId": ["is a sms template; the campaign is email"] });
    const broken = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "broken", subject: "Hi", body: "{{ contact.nickname }}" }))!;
    const unrenderable = await create({ abTest: { ...abTest, variants: [{ subject: "A" }, { templateId: broken.id }] } });
    expect(unrenderable.status).toBe(400);
    expect(unrenderable.body.error.message).toMatch(/^Variant B: /);
    expect(Object.keys(unrenderable.body.error.fields)).toEqual(["abTest.variants.1.templateId"]);
  });

  it("picks no winner before the test starts, nor twice; another workspace's campaign and one with no test are 404", async () => {
    const created = await create({ abTest });
    const id = created.body.id as string;
    expect((await pick(id)).status).toBe(409);
    expect((await pick(id, otherKey)).status).toBe(404);
    expect((await read(id, otherKey)).status).toBe(404);
    const plain = await create({});
    expect((await read(plain.body.id)).status).toBe(404);
    expect((await pick(plain.body.id)).status).toBe(404);

    // Started (as send-campaign leaves it, with nobody sent yet): the first pick wins, the second is refused.
    await transitionCampaign(database.db, { workspaceId, campaignId: id, from: ["draft"], to: "sending", set: { startedAt: new Date(), chunkCount: 0, audienceCount: 0 } });
    const picked = await pick(id);
    expect(picked.status).toBe(200);
    expect(picked.body.abTest).toMatchObject({ state: "decided", canPickNow: false, winner: { variant: "A", decidedBy: "manual", pValue: 1, significant: false } });
    expect((await pick(id)).status).toBe(409);
  });
});
