import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, notificationCategories } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const routes = await import("@/app/api/v1/channel-plans/route");
const detail = await import("@/app/api/v1/channel-plans/[id]/route");
const templatesRoute = await import("@/app/api/v1/templates/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let contactId: string;
let otherContactId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const mine = await createWorkspace(database.db, { name: "Plans" });
  const other = await createWorkspace(database.db, { name: "Other" });
  ({ apiKey } = mine);
  ({ apiKey: otherKey } = other);
  const [contact] = await database.db.insert(contacts).values({ workspaceId: mine.workspace.id, email: "gil@example.com" }).returning();
  const [stranger] = await database.db.insert(contacts).values({ workspaceId: other.workspace.id, email: "hal@example.com" }).returning();
  contactId = contact!.id;
  otherContactId = stranger!.id;
  await database.db.insert(notificationCategories).values({ workspaceId: mine.workspace.id, key: "comments", name: "Comments" });
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const post = (body: unknown, key = apiKey) => callRoute(routes.POST, { method: "POST", path: "/api/v1/channel-plans", apiKey: key, body });
const emailStep = { channel: "email", subject: "Hi", body: "<p>Hi</p>" };

describe("POST /api/v1/channel-plans", () => {
  it("records a plan once per messageId, starts one run, and shows its steps pending", async () => {
    const body = { messageId: "p-1", contactId, category: "comments", steps: [{ channel: "in_app", body: "Hi", waitSeconds: 600 }, emailStep] };
    const first = await post(body);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      messageId: "p-1",
      status: "running",
      category: "comments",
      steps: [
        { channel: "in_app", waitSeconds: 600, messageId: null, outcome: "pending" },
        { channel: "email", waitSeconds: 3_600, messageId: null, outcome: "pending" },
      ],
    });
    const again = await post(body);
    expect(again.body.id).toBe(first.body.id);
    const sent = recorder.events.filter((event) => event.name === "notification/plan.requested" && event.data.planId === first.body.id);
    expect(new Set(sent.map((event) => event.id))).toEqual(new Set([`channel-plan-${first.body.id}`]));
    const read = await callRoute(detail.GET, { path: "/", apiKey, params: { id: first.body.id } });
    expect(read.body).toEqual(first.body);
  });

  it.each([
    [{ steps: [] }, "steps", /at least 1/],
    [{ steps: [{ channel: "fax", body: "x" }] }, "steps.0.channel", /^must be one of "email", "sms", "whatsapp", "push", "in_app"$/],
    [{ steps: [{ channel: "email", body: "<p>x</p>" }] }, "steps.0.subject", /required for email/],
    [{ steps: [emailStep, { channel: "sms", body: "x", subject: "no" }] }, "steps.1.subject", /SMS has no subject/],
    [{ steps: [{ ...emailStep, waitSeconds: 0 }] }, "steps.0.waitSeconds", /^must be at least 1$/],
    [{ category: "nope", steps: [emailStep] }, "category", /^unknown category "nope"; this workspace's categories are: comments$/],
    [{ steps: [{ channel: "sms", body: "{{ unclosed" }] }, "steps.0.body", /./],
  ])("answers 400 for %j, naming %s", async (fields, field, message) => {
    const response = await post({ messageId: `bad-${field}`, contactId, ...fields });
    expect(response.status).toBe(400);
    expect(response.body.error.fields[field as string].join(" ")).toMatch(message as RegExp);
  });

  it("answers 404 for another workspace's contact or template, and for another workspace's plan", async () => {
    expect((await post({ messageId: "x-1", contactId: otherContactId, steps: [emailStep] })).status).toBe(404);
    const template = await callRoute(templatesRoute.POST, { method: "POST", path: "/api/v1/templates", apiKey: otherKey, body: { name: "t", channel: "email", subject: "s", body: "b" } });
    expect((await post({ messageId: "x-2", contactId, steps: [{ channel: "email", templateId: template.body.id }] })).status).toBe(404);
    const mine = await post({ messageId: "x-3", contactId, steps: [emailStep] });
    expect((await callRoute(detail.GET, { path: "/", apiKey: otherKey, params: { id: mine.body.id } })).status).toBe(404);
  });

  it("refuses a template of another channel than its step's", async () => {
    const template = await callRoute(templatesRoute.POST, { method: "POST", path: "/api/v1/templates", apiKey, body: { name: "sms-t", channel: "sms", body: "b" } });
    const response = await post({ messageId: "x-4", contactId, steps: [{ channel: "email", templateId: template.body.id }] });
    expect(response.status).toBe(400);
    expect(response.body.error.fields["steps.0.templateId"]).toEqual(["the template is for sms, not email"]);
  });
});
