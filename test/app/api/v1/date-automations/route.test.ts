import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as pause } from "@/app/api/v1/date-automations/[id]/pause/route";
import { GET as preview } from "@/app/api/v1/date-automations/[id]/preview/route";
import { POST as resume } from "@/app/api/v1/date-automations/[id]/resume/route";
import { DELETE as remove, GET as getOne, PATCH as patch } from "@/app/api/v1/date-automations/[id]/route";
import { GET as list, POST as create } from "@/app/api/v1/date-automations/route";
import type { Database } from "@/db";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { insertTemplate } from "@/db/queries/templates";
import { contacts } from "@/db/schema";
import { dateAutomationsApi } from "@/lib/api/contracts/date-automations";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let emailTemplate: string;
let smsTemplate: string;
let otherTemplate: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const acme = await createWorkspace(database.db, { name: "Acme" });
  const other = await createWorkspace(database.db, { name: "Other" });
  ({ apiKey } = acme);
  workspaceId = acme.workspace.id;
  otherKey = other.apiKey;
  await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: null, quietHoursEnd: null, timezone: "Europe/Paris" });
  emailTemplate = (await insertTemplate(database.db, { workspaceId, channel: "email", name: "Birthday", subject: "Happy birthday", body: "<p>Hi</p>" }))!.id;
  smsTemplate = (await insertTemplate(database.db, { workspaceId, channel: "sms", name: "Renewal", subject: null, body: "Renewal today" }))!.id;
  otherTemplate = (await insertTemplate(database.db, { workspaceId: other.workspace.id, channel: "email", name: "Theirs", subject: "s", body: "b" }))!.id;
  await database.db.insert(contacts).values([
    { workspaceId, email: "ana@example.com", firstName: "Ana", timezone: "America/New_York", birthdayMonth: 3, birthdayDay: 1 },
    { workspaceId, email: "leo@example.com", firstName: "Leo", birthday: "2004-02-29", birthdayMonth: 2, birthdayDay: 29 },
    { workspaceId, email: "ren@example.com", attributes: { renewal: "2026-03-01" } },
    { workspaceId, email: "old@example.com", attributes: { renewal: "2030-03-01" } },
    { workspaceId, email: "gone@example.com", birthdayMonth: 3, birthdayDay: 1, erasureRequestedAt: new Date() },
    { workspaceId, email: "out@example.com", birthdayMonth: 3, birthdayDay: 1, status: "unsubscribed" },
  ]);
});
afterAll(() => database.close());

const post = (body: Record<string, unknown>, key = apiKey) => callRoute(create, { method: "POST", path: "/api/v1/date-automations", apiKey: key, body });
const act = (route: typeof pause, id: string, kind: string) => callRoute(route, { method: "POST", path: `/api/v1/date-automations/${id}/${kind}`, apiKey, params: { id } });
const previewOf = (id: string, query: string) => callRoute(preview, { path: `/api/v1/date-automations/${id}/preview${query}`, apiKey, params: { id } });
const birthday = { name: "Birthdays", dateField: "birthday", channel: "email" };

describe("POST /api/v1/date-automations", () => {
  it("creates an active automation at 09:00 local unless told otherwise, as documented", async () => {
    const response = await post({ ...birthday, templateId: emailTemplate });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: "Birthdays", dateField: "birthday", sendHour: 9, sendMinute: 0, channel: "email", templateId: emailTemplate, category: null, status: "active", statusReason: null });
    expect(dateAutomationsApi.create.responses[201].schema.parse(response.body)).toEqual(response.body);
  });

  it("answers 400 with field errors for an unknown date field, a bad hour or minute, and unknown fields", async () => {
    const response = await post({ ...birthday, templateId: emailTemplate, dateField: "wedding", sendHour: 24, sendMinute: -1, extra: 1 });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.error.fields).sort()).toEqual(["dateField", "extra", "sendHour", "sendMinute"]);
    expect(response.body.error.fields.dateField[0]).toMatch(/birthday.*created_at.*attribute/);
    expect(response.body.error.fields.sendHour).toBeDefined();
    expect(response.body.error.fields.sendMinute).toBeDefined();
  });

  it("refuses a template of another channel (400) and another workspace's (404), and an unknown category (400)", async () => {
    const wrongChannel = await post({ ...birthday, templateId: smsTemplate });
    expect(wrongChannel.status).toBe(400);
    expect(wrongChannel.body.error.fields.templateId[0]).toBe("the template is for sms, not email");
    expect((await post({ ...birthday, templateId: otherTemplate })).status).toBe(404);
    expect((await post({ ...birthday, templateId: randomUUID() })).status).toBe(404);
    const category = await post({ ...birthday, templateId: emailTemplate, category: "nope" });
    expect(category.status).toBe(400);
    expect(category.body.error.fields.category).toBeDefined();
  });
});

describe("the automation's life", () => {
  it("is listed, read, changed, paused with the reason, resumed and deleted; another workspace sees none of it", async () => {
    const created = (await post({ ...birthday, name: "Life", templateId: emailTemplate })).body;
    const listed = await callRoute(list, { path: "/api/v1/date-automations?limit=50", apiKey });
    expect(listed.body.data.map((row: { id: string }) => row.id)).toContain(created.id);
    expect(dateAutomationsApi.list.responses[200].schema.parse(listed.body)).toEqual(listed.body);
    expect((await callRoute(getOne, { path: "/", apiKey: otherKey, params: { id: created.id } })).status).toBe(404);
    expect((await callRoute(getOne, { path: "/", apiKey, params: { id: "not-a-uuid" } })).status).toBe(404);

    const changed = await callRoute(patch, { method: "PATCH", path: "/", apiKey, params: { id: created.id }, body: { sendHour: 18, sendMinute: 30 } });
    expect(changed.body).toMatchObject({ sendHour: 18, sendMinute: 30 });
    const badPatch = await callRoute(patch, { method: "PATCH", path: "/", apiKey, params: { id: created.id }, body: { channel: "sms" } });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.fields.templateId).toBeDefined();
    expect((await callRoute(patch, { method: "PATCH", path: "/", apiKey, params: { id: created.id }, body: {} })).status).toBe(400);

    const paused = await act(pause, created.id, "pause");
    expect(paused.body).toMatchObject({ status: "paused", statusReason: expect.stringMatching(/^paused by api_key:/) });
    const resumed = await act(resume, created.id, "resume");
    expect(resumed.body).toMatchObject({ status: "active", statusReason: null });

    expect((await callRoute(remove, { method: "DELETE", path: "/", apiKey: otherKey, params: { id: created.id } })).status).toBe(404);
    expect((await callRoute(remove, { method: "DELETE", path: "/", apiKey, params: { id: created.id } })).status).toBe(204);
    expect((await callRoute(getOne, { path: "/", apiKey, params: { id: created.id } })).status).toBe(404);
  });
});

describe("GET /api/v1/date-automations/{id}/preview", () => {
  it("counts who gets it on a day in their own zone, 29 February included on 28 February of a non-leap year", async () => {
    const automation = (await post({ ...birthday, name: "Preview", templateId: emailTemplate })).body;
    const march = await previewOf(automation.id, "?day=2027-03-01");
    expect(march.status).toBe(200);
    expect(march.body).toEqual({
      day: "2027-03-01",
      count: 1,
      sample: [{ contactId: expect.any(String), email: "ana@example.com", phone: null, name: "Ana", zone: "America/New_York", localSendTime: "2027-03-01T09:00", sendAt: "2027-03-01T14:00:00.000Z" }],
    });
    const leap = await previewOf(automation.id, "?day=2027-02-28");
    expect(leap.body.sample).toEqual([expect.objectContaining({ email: "leo@example.com", zone: "Europe/Paris", sendAt: "2027-02-28T08:00:00.000Z" })]);
    expect((await previewOf(automation.id, "?day=2028-02-28")).body.count).toBe(0);
    expect((await previewOf(automation.id, "?day=2028-02-29")).body.count).toBe(1);
    expect(dateAutomationsApi.preview.responses[200].schema.parse(march.body)).toEqual(march.body);
  });

  it("reads an attribute's date from its year on", async () => {
    const automation = (await post({ name: "Renewals", dateField: "attribute:renewal", channel: "sms", templateId: smsTemplate })).body;
    // 2026-03-01 recurs on 1 March 2027; 2030-03-01 is still to come.
    expect((await previewOf(automation.id, "?day=2027-03-01")).body.sample.map((row: { email: string }) => row.email)).toEqual(["ren@example.com"]);
    expect((await previewOf(automation.id, "?day=2030-03-01")).body.count).toBe(2);
    expect((await previewOf(automation.id, "?day=2025-03-01")).body.count).toBe(0);
  });

  it("answers tomorrow by default, and 400 for a day that does not exist", async () => {
    const automation = (await post({ ...birthday, name: "Tomorrow", templateId: emailTemplate })).body;
    const tomorrow = await previewOf(automation.id, "");
    expect(tomorrow.status).toBe(200);
    expect(tomorrow.body.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const bad = await previewOf(automation.id, "?day=2027-02-29");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.day).toBeDefined();
  });
});
