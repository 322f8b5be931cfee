import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/v1/templates/[id]/preview/route";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { insertTemplate } from "@/db/queries/templates";
import { templatePreviewResponse } from "@/lib/templates/template-preview-request";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;
let n = 0;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "preview-secret-preview-secret-preview");
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const emailTemplate = async (body: string, subject = "News for {{ contact.first_name | default: 'you' }}") =>
  (await insertTemplate(database.db, { workspaceId, channel: "email", name: `preview ${++n}`, subject, body }))!.id;
const preview = (id: string, body: unknown, key = apiKey) => callRoute(POST, { method: "POST", path: `/api/v1/templates/${id}/preview`, apiKey: key, params: { id }, body });

describe("POST /api/v1/templates/:id/preview", () => {
  it("renders for one of the workspace's contacts, as a campaign message sees it", async () => {
    const written = await upsertContactByEmail(database.db, { workspaceId, changes: { email: "ann@example.com", firstName: "Ann", attributes: { set: { company: "Acme & Co" }, remove: [] } } });
    if (!written.ok) throw new Error("contact not written");
    const id = await emailTemplate('<p>Hi {{ contact.first_name }} of {{ contact.attributes.company }}</p><a href="{{ unsubscribe_url }}">Leave</a>');
    const response = await preview(id, { contactId: written.contact.id });
    expect(response.status).toBe(200);
    expect(templatePreviewResponse.parse(response.body)).toEqual(response.body);
    expect(response.body).toMatchObject({ channel: "email", as: "campaign", subject: "News for Ann" });
    expect(response.body.html).toMatch(/^<p>Hi Ann of Acme &amp; Co<\/p><a href="http:\/\/localhost:3000\/u\/[\w.-]+">Leave<\/a>$/);
    expect(response.body.text).toContain("Hi Ann of Acme & Co");
  });

  it("renders for a sample contact (template names; what is left out is null) and for the schema's example when none is given", async () => {
    const id = await emailTemplate("<p>Hi {{ contact.first_name | default: 'there' }} {{ contact.last_name }}</p>");
    expect((await preview(id, { contact: { first_name: "Bo" } })).body).toMatchObject({ subject: "News for Bo", html: "<p>Hi Bo </p>" });
    expect((await preview(id, {})).body).toMatchObject({ subject: "News for Ann", html: "<p>Hi Ann Lee</p>" });
  });

  it("renders sample data as a notification sees it", async () => {
    const id = await emailTemplate("<p>Order {{ order.number }} for {{ contact.first_name }}</p>", "Receipt {{ order.number }}");
    const response = await preview(id, { data: { order: { number: 42 } }, contact: { first_name: "Cy" } });
    expect(response.body).toMatchObject({ as: "notification", subject: "Receipt 42", html: "<p>Order 42 for Cy</p>" });
  });

  it("renders an SMS body with its segment count", async () => {
    const id = (await insertTemplate(database.db, { workspaceId, channel: "sms", name: `preview ${++n}`, subject: null, body: "Hi {{ contact.first_name }} — sale today" }))!.id;
    const response = await preview(id, { contact: { first_name: "Di" } });
    expect(response.body).toEqual({ channel: "sms", as: "campaign", text: "Hi Di — sale today", segments: 1, encoding: "UCS-2" });
  });

  it.each([
    ["a contact field without `contact.`", "<p>Hi {{ first_name }}</p>", {}, { body: ["template variable `first_name` is undefined in the body, line 1 — did you mean `contact.first_name`?"] }],
    ["a missing attribute of the sample contact", "<p>\n{{ contact.attributes.plan }}</p>", { contact: { attributes: {} } }, { body: ["template variable `contact.attributes.plan` is undefined in the body, line 2"] }],
    ["a variable missing from the sample data", "<p>{{ order.total }}</p>", { data: { order: {} } }, { body: ["template variable `order.total` is undefined in the body, line 1"] }],
  ])("answers 400 naming %s and where", async (_case, body, request, fields) => {
    const response = await preview(await emailTemplate(body), request);
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ code: "template_error", message: `The template cannot render: ${Object.values(fields)[0]![0]}`, fields });
  });

  it("rejects a malformed request with field errors", async () => {
    const id = await emailTemplate("<p>Hi</p>");
    expect((await preview(id, { contactId: randomUUID(), contact: {} })).body.error.fields).toHaveProperty("contact");
    expect((await preview(id, { contact: { firstName: "camelCase" } })).body.error.fields).toEqual({ "contact.firstName": ["is not a known field"] });
    expect((await preview(id, { as: "campaign", data: {} })).body.error.fields).toHaveProperty("data");
    expect((await preview(id, "{")).status).toBe(400);
  });

  it("is workspace-scoped: another workspace's template or contact is a 404", async () => {
    const id = await emailTemplate("<p>Hi</p>");
    expect((await preview(id, {}, otherKey)).status).toBe(404);
    expect((await preview("not-a-uuid", {})).status).toBe(404);
    const { workspace } = await createWorkspace(database.db, { name: "Third" });
    const theirs = await upsertContactByEmail(database.db, { workspaceId: workspace.id, changes: { email: "theirs@example.com" } });
    if (!theirs.ok) throw new Error("contact not written");
    const response = await preview(id, { contactId: theirs.contact.id });
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe("Contact not found");
  });
});
