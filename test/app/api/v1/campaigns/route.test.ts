import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { sql } from "drizzle-orm";
import { getCampaign } from "@/db/queries/campaigns";
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
const detail = await import("@/app/api/v1/campaigns/[id]/route");
const actions = await import("@/app/api/v1/campaigns/[id]/[action]/route");
const credits = await import("@/app/api/v1/credits/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let listId: string;
let templateId: string;
let smsTemplateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  ({ listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 3 }));
  smsTemplateId = (await insertTemplate(database.db, { workspaceId, channel: "sms", name: "sms", subject: null, body: "Hi {{ contact.first_name }}" }))!.id;
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const create = (body: unknown, key = apiKey) => callRoute(campaigns.POST, { method: "POST", path: "/api/v1/campaigns", apiKey: key, body });
const act = (id: string, action: string, body?: unknown, key = apiKey) =>
  callRoute(actions.POST, { method: "POST", path: `/api/v1/campaigns/${id}/${action}`, apiKey: key, params: { id, action }, body });
const valid = () => ({ name: "Spring", channel: "email", templateId, audience: { listId }, from: "Acme <news@acme.test>" });
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe("POST /api/v1/campaigns", () => {
  it("creates a draft with empty counters", async () => {
    const created = await create(valid());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Spring",
      status: "draft",
      from: "Acme <news@acme.test>",
      stats: { audience: 0, sent: 0, suppressed: 0, failed: 0, opened: 0, uniqueOpened: 0, clicked: 0, unsubscribed: 0 },
      progress: { chunks: 0, percent: 0 },
    });
    expect((await callRoute(detail.GET, { path: "/", apiKey, params: { id: created.body.id } })).body.id).toBe(created.body.id);
  });

  it("rejects bad input with field errors", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid(), name: "" }, "name"],
      [{ ...valid(), channel: "fax" }, "channel"],
      [{ ...valid(), audience: { listId, segmentId: randomUUID() } }, "audience"],
      [{ ...valid(), from: "not an address" }, "from"],
      [{ ...valid(), sendAt: "tomorrow" }, "sendAt"],
      [{ ...valid(), sendAt: new Date(Date.now() - 60_000).toISOString() }, "sendAt"],
      [{ ...valid(), status: "sent" }, "status"],
      [{ ...valid(), channel: "sms", templateId: smsTemplateId, from: "this sender id is too long" }, "from"],
      [{ ...valid(), channel: "sms", templateId: smsTemplateId, from: undefined, replyTo: "a@b.co" }, "replyTo"],
    ];
    for (const [body, field] of cases) {
      const response = await create(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(response.body.error.fields).some((key) => key.startsWith(field)), `${field} in ${JSON.stringify(response.body.error.fields)}`).toBe(true);
    }
  });

  it("refuses another workspace's template or list, and a template of the wrong channel", async () => {
    expect((await create(valid(), otherKey)).body.error.fields).toMatchObject({ templateId: ["no such template in this workspace"], "audience.listId": ["no such list in this workspace"] });
    expect((await create({ ...valid(), templateId: smsTemplateId })).body.error.fields.templateId[0]).toMatch(/is a sms template; the campaign is email/);
  });

  it("schedules at once when sendAt is given, and emits the schedule event", async () => {
    const sendAt = inAnHour();
    const created = await create({ ...valid(), sendAt });
    expect(created.body).toMatchObject({ status: "scheduled", sendAt });
    expect(recorder.events.filter((e) => e.name === "campaign/scheduled" && e.data.campaignId === created.body.id)).toHaveLength(1);
  });
});

describe("campaign actions", () => {
  it("moves through schedule, send, pause, resume and cancel, refusing moves from the wrong state", async () => {
    const { body } = await create(valid());
    const id = body.id as string;
    expect((await act(id, "pause")).status).toBe(409);
    expect((await act(id, "resume")).body.error.message).toMatch(/Cannot resume a campaign that is draft/);
    expect((await act(id, "schedule", { sendAt: "soon" })).status).toBe(400);

    const scheduled = await act(id, "schedule", { sendAt: inAnHour() });
    expect(scheduled.body.status).toBe("scheduled");
    const rescheduled = await act(id, "schedule", { sendAt: inAnHour() });
    expect(rescheduled.body.status).toBe("scheduled");

    const sending = await act(id, "send");
    expect(sending.status).toBe(202);
    expect(sending.body.status).toBe("sending");
    // Sending twice (a double click) starts nothing new.
    expect((await act(id, "send")).status).toBe(409);
    expect(recorder.events.filter((e) => e.name === "campaign/send.requested" && e.data.campaignId === id)).toHaveLength(1);
    // Each schedule change told waiting schedule runs to stop.
    expect(recorder.events.filter((e) => e.name === "campaign/unscheduled" && e.data.campaignId === id).length).toBeGreaterThanOrEqual(3);

    expect((await act(id, "pause")).body.status).toBe("paused");
    expect((await act(id, "resume")).body.status).toBe("sending");
    expect((await act(id, "cancel")).body.status).toBe("cancelled");
    expect((await act(id, "cancel")).status).toBe(409);
    expect((await act(id, "send")).status).toBe(409);
  });

  it("answers 404 for unknown actions, ids and other workspaces' campaigns", async () => {
    const { body } = await create(valid());
    expect((await act(body.id, "explode")).status).toBe(404);
    expect((await act("not-a-uuid", "send")).status).toBe(404);
    expect((await act(randomUUID(), "send")).status).toBe(404);
    expect((await act(body.id, "send", undefined, otherKey)).status).toBe(404);
    expect((await callRoute(detail.GET, { path: "/", apiKey: otherKey, params: { id: body.id } })).status).toBe(404);
  });

  it("lists campaigns newest first with a status filter", async () => {
    const listed = await callRoute(campaigns.GET, { path: "/api/v1/campaigns?status=draft&limit=2", apiKey });
    expect(listed.status).toBe(200);
    expect(listed.body.data.length).toBeLessThanOrEqual(2);
    for (const row of listed.body.data) expect(row.status).toBe("draft");
    expect((await callRoute(campaigns.GET, { path: "/api/v1/campaigns?status=bogus", apiKey })).status).toBe(400);
  });

  it("shows the credit balance new workspaces start with", async () => {
    expect((await callRoute(credits.GET, { path: "/api/v1/credits", apiKey: otherKey })).body).toEqual({ balance: 10_000 });
  });
});

describe("preflight: a template that cannot render is refused before anything is sent", () => {
  let n = 0;
  const template = async (body: string, subject = "News") =>
    (await insertTemplate(database.db, { workspaceId, channel: "email", name: `preflight ${++n}`, subject, body }))!.id;
  const sendsOf = (id: string) => recorder.events.filter((e) => e.name === "campaign/send.requested" && e.data.campaignId === id);

  it.each([
    ["a contact field without `contact.`", "<p>Hi {{ first_name }}</p>", "News", "template variable `first_name` is undefined in the body, line 1 — did you mean `contact.first_name`?"],
    ["a variable in the subject", "<p>Hi</p>", "News for\n{{ name }}", "template variable `name` is undefined in the subject, line 2 — a campaign template sees `contact.*`, `unsubscribe_url` and `preferences_url`"],
    ["an unknown filter", "<p>Hi</p>\n<p>{{ contact.first_name | shout }}</p>", "News", "unknown filter `shout` in the body, line 2"],
    ["a syntax error", "<p>{% if contact.first_name %}Hi</p>", "News", /^the template does not parse \(tag \{% if contact\.first_name %\} not closed\) in the body, line 1$/],
  ])("creating a campaign whose template has %s is a 400 naming it and where", async (_case, body, subject, message) => {
    const response = await create({ ...valid(), templateId: await template(body, subject) });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.templateId).toEqual([message instanceof RegExp ? expect.stringMatching(message) : message]);
    expect(response.body.error.message).toMatch(/^The campaign cannot be sent: /);
  });

  it("renders against real contacts: an attribute some of the audience lacks is refused, naming one of them and the fix", async () => {
    const audience = await seedCampaignAudience(database.db, { workspaceId, size: 3, prefix: "attr" });
    await database.db.execute(sql`update contacts set attributes = '{"company":"Acme"}' where email in ('attr1@example.com', 'attr3@example.com')`);
    const refused = await create({ ...valid(), audience: { listId: audience.listId }, templateId: await template("<p>At\n{{ contact.attributes.company }}</p>") });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.templateId).toEqual([
      'template variable `contact.attributes.company` is undefined in the body, line 2 for the contact attr2@example.com (some contacts lack it: write `{{ contact.attributes.company | default: "" }}` or guard it with {% if %})',
    ]);
    const guarded = await create({ ...valid(), audience: { listId: audience.listId }, templateId: await template("<p>At {{ contact.attributes.company | default: 'your company' }}</p>") });
    expect(guarded.status).toBe(201);
  });

  it("accepts every variable a campaign message has, for an empty audience too", async () => {
    const empty = (await import("@/db/queries/lists")).insertList(database.db, { workspaceId, name: "empty for preflight", description: null });
    const body = '<p>{{ contact.first_name }} {{ contact.last_name }} {{ contact.email }} {{ contact.phone }} {{ contact.locale }} {{ contact.timezone }} {{ contact.birthday }} {{ contact.id }}</p><a href="{{ unsubscribe_url }}">Leave</a>';
    expect((await create({ ...valid(), templateId: await template(body) })).status).toBe(201);
    expect((await create({ ...valid(), audience: { listId: (await empty)!.id }, templateId: await template(body) })).status).toBe(201);
  });

  it("send and schedule are a 409 naming the variable, with the campaign left as it was, when the audience changed since", async () => {
    const audience = await seedCampaignAudience(database.db, { workspaceId, size: 2, prefix: "late" });
    await database.db.execute(sql`update contacts set attributes = '{"plan":"pro"}' where email like 'late%@example.com'`);
    const created = await create({ ...valid(), audience: { listId: audience.listId }, templateId: await template("<p>Your plan: {{ contact.attributes.plan }}</p>") });
    expect(created.status).toBe(201);
    // A contact without the attribute joins the list after the campaign was made.
    await database.db.execute(sql`update contacts set attributes = '{}' where email = 'late2@example.com'`);

    for (const [action, body] of [["send", undefined], ["schedule", { sendAt: inAnHour() }]] as const) {
      const refused = await act(created.body.id, action, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("preflight_failed");
      expect(refused.body.error.message).toMatch(/^The campaign cannot be sent: template variable `contact\.attributes\.plan` is undefined in the body, line 1 for the contact late2@example\.com/);
      expect(refused.body.error.fields.templateId).toHaveLength(1);
    }
    expect((await getCampaign(database.db, { workspaceId, campaignId: created.body.id }))).toMatchObject({ status: "draft", scheduleVersion: 0 });
    expect(sendsOf(created.body.id)).toEqual([]);
  });

  it("a wrong-state move is still the ordinary 409, not a preflight", async () => {
    const created = await create(valid());
    await act(created.body.id, "cancel");
    expect((await act(created.body.id, "send")).body.error.code).toBe("invalid_state");
  });
});
