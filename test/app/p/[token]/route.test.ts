import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET, POST } from "@/app/p/[token]/route";
import type { Database } from "@/db";
import { listContactChoices } from "@/db/queries/contact-preferences";
import { insertMessage } from "@/db/queries/messages";
import { insertCategory } from "@/db/queries/notification-categories";
import { signTrackingToken } from "@/lib/tracking/tracking-token";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { createTrackedMessage, TEST_TRACKING_SECRET } from "../../t/tracked-message";

let database: Database;
let workspaceId: string;

const fields = { description: null, urgent: false, channelDefaults: {} };

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", TEST_TRACKING_SECRET);
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  await insertCategory(database.db, { workspaceId, key: "billing", name: "Billing", required: false, ...fields, description: "Invoices & receipts" });
  await insertCategory(database.db, { workspaceId, key: "security", name: "Security", required: true, ...fields });
  await insertCategory(database.db, { workspaceId, key: "promos", name: "Promotions", required: false, ...fields, channelDefaults: { email: false } });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
});

const tokenOf = (messageId: string) => signTrackingToken({ action: "p", messageId });
const page = (token: string, query = "") => callRoute(GET, { path: `/p/${token}${query}`, params: { token } });
function save(token: string, form: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/p/${token}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: form });
  return POST(request, { params: Promise.resolve({ token }) });
}
const box = (html: string, name: string) => new RegExp(`<input type="checkbox" name="${name.replace("*", "\\*")}"[^>]*>`).exec(html)?.[0];

describe("GET /p/:token", () => {
  it("shows the categories × the channels the contact can receive, required ones ticked and locked", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const { status, body, response } = await page(tokenOf(message.id));
    expect(status).toBe(200);
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(body).toContain("<h1>Your preferences</h1>");
    expect(body).toContain("Invoices &amp; receipts");
    // An email-only contact: email, push and in-app; no SMS or WhatsApp without a number.
    expect(body).toContain('<th scope="col">Email</th>');
    expect(body).not.toContain('<th scope="col">SMS</th>');
    expect(box(body, "billing:email")).toContain(" checked");
    expect(box(body, "security:email")).toMatch(/ checked disabled/);
    expect(body).toContain("(required: always sent)");
    expect(box(body, "promos:email")).not.toContain("checked");
    expect(box(body, "*:email")).toContain(" checked");
  });

  it("answers a 404 page for a tampered token, another action's token, or a message with no contact", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = tokenOf(message.id);
    expect((await page(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).status).toBe(404);
    expect((await page(signTrackingToken({ action: "u", messageId: message.id }))).status).toBe(404);
    const { row } = await insertMessage(database.db, { workspaceId, idempotencyKey: "no-contact", channel: "email", recipient: "x@example.com" });
    const orphan = await page(tokenOf(row.id));
    expect(orphan.status).toBe(404);
    expect(orphan.body).toContain("This link has expired");
  });
});

describe("POST /p/:token", () => {
  it("saves exactly what was ticked, redirects to the page, and a reload shows the choice", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = tokenOf(message.id);
    // Billing off on email, promotions on, the rest as shown (everything else on).
    const response = await save(token, "promos%3Aemail=on&*%3Aemail=on&*%3Apush=on&*%3Ain_app=on&billing%3Apush=on&billing%3Ain_app=on&promos%3Apush=on&promos%3Ain_app=on");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/p/${token}?saved=1`);
    const reloaded = await page(token, "?saved=1");
    expect(reloaded.body).toContain("Your preferences are saved.");
    expect(box(reloaded.body, "billing:email")).not.toContain("checked");
    expect(box(reloaded.body, "promos:email")).toContain(" checked");
    expect(box(reloaded.body, "security:email")).toMatch(/ checked disabled/);
    const choices = await listContactChoices(database.db, { workspaceId, contactId: message.contactId });
    // Only the two changed cells became the contact's choices; the rest still follow the defaults.
    expect(choices.map((c) => `${c.categoryKey}:${c.channel}:${c.enabled}:${c.source}`).sort()).toEqual(["billing:email:false:preference_center", "promos:email:true:preference_center"]);
  });

  it("never writes a required category, even from a forged form", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = tokenOf(message.id);
    expect((await save(token, "billing%3Aemail=on&*%3Aemail=on&*%3Apush=on&*%3Ain_app=on&billing%3Apush=on&billing%3Ain_app=on")).status).toBe(303);
    const choices = await listContactChoices(database.db, { workspaceId, contactId: message.contactId });
    expect(choices.some((c) => c.categoryKey === "security")).toBe(false);
  });

  it("turning a channel off for other messages keeps the category boxes as ticked", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = tokenOf(message.id);
    await save(token, "billing%3Aemail=on&*%3Apush=on&*%3Ain_app=on&billing%3Apush=on&billing%3Ain_app=on");
    const reloaded = (await page(token)).body;
    expect(box(reloaded, "*:email")).not.toContain("checked");
    expect(box(reloaded, "billing:email")).toContain(" checked");
    expect(box(reloaded, "promos:email")).not.toContain("checked");
  });

  it("refuses a cross-site form post, a bad token and an oversized body", async () => {
    const message = await createTrackedMessage(database.db, { workspaceId });
    const token = tokenOf(message.id);
    expect((await save(token, "", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await save(signTrackingToken({ action: "u", messageId: message.id }), "")).status).toBe(404);
    expect((await save(token, "x=" + "y".repeat(70_000))).status).toBe(413);
    expect(await listContactChoices(database.db, { workspaceId, contactId: message.contactId })).toEqual([]);
  });
});
