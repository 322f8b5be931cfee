import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteCategory, GET as getCategory, PATCH as patchCategory } from "@/app/api/v1/categories/[key]/route";
import { GET as listCategories, POST as createCategory } from "@/app/api/v1/categories/route";
import type { Database } from "@/db";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Acme" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(() => database.close());

const create = (body: unknown, key = apiKey) => callRoute(createCategory, { method: "POST", path: "/api/v1/categories", apiKey: key, body });
const one = (handler: typeof getCategory, method: string, key: string, body?: unknown, apiKeyUsed = apiKey) =>
  callRoute(handler, { method, path: `/api/v1/categories/${key}`, apiKey: apiKeyUsed, params: { key }, body });

describe("categories API", () => {
  it("creates, lists, reads, edits and deletes a category, auditing each change", async () => {
    const created = await create({ key: "billing", name: "Billing", description: "Invoices and receipts", channelDefaults: { sms: false } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: "billing", name: "Billing", description: "Invoices and receipts", required: false, urgent: false, channelDefaults: { sms: false } });
    expect(created.body).not.toHaveProperty("workspaceId");
    await create({ key: "security", name: "Security", required: true, urgent: true });
    expect((await callRoute(listCategories, { path: "/api/v1/categories", apiKey })).body.data.map((c: { key: string }) => c.key)).toEqual(["billing", "security"]);
    expect((await one(getCategory, "GET", "security")).body).toMatchObject({ required: true, urgent: true, channelDefaults: {} });

    const edited = await one(patchCategory, "PATCH", "billing", { name: "Bills", channelDefaults: { sms: true, email: false } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ key: "billing", name: "Bills", description: "Invoices and receipts", channelDefaults: { sms: true, email: false } });

    expect((await one(deleteCategory, "DELETE", "billing")).status).toBe(204);
    expect((await one(getCategory, "GET", "billing")).status).toBe(404);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(["category.created", "category.updated", "category.deleted"]));
  });

  it("answers 409 for a duplicate key", async () => {
    await create({ key: "news", name: "News" });
    const again = await create({ key: "news", name: "Other news" });
    expect(again.status).toBe(409);
    expect(again.body.error.fields).toEqual({ key: ["is taken"] });
  });

  it.each([
    [{ key: "Billing", name: "x" }, "key", "must be 1 to 64 lowercase letters, digits, - and _, starting with a letter or digit"],
    [{ key: "has space", name: "x" }, "key", "lowercase letters"],
    [{ key: "ok", name: "" }, "name", "must not be empty"],
    [{ key: "ok", name: "x", channelDefaults: { fax: false } }, "channelDefaults.fax", "is not a channel; the channels are email, sms, whatsapp, push, in_app"],
    [{ key: "ok", name: "x", channelDefaults: { sms: "no" } }, "channelDefaults.sms", "must be true or false"],
    [{ key: "ok", name: "x", colour: "red" }, "colour", "is not a known field"],
  ])("refuses %j naming %s", async (body, field, message) => {
    const response = await create(body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields[field].join(" ")).toContain(message);
  });

  it("refuses an empty edit, and a change of key (keys are fixed)", async () => {
    await create({ key: "fixed", name: "Fixed" });
    expect((await one(patchCategory, "PATCH", "fixed", {})).body.error.fields).toEqual({ "(body)": ["names no field to change"] });
    expect((await one(patchCategory, "PATCH", "fixed", { key: "moved" })).body.error.fields.key).toEqual(["is not a known field"]);
  });

  it("keeps workspaces apart: another workspace's key, or a malformed one, is 404", async () => {
    await create({ key: "private", name: "Private" });
    expect((await one(getCategory, "GET", "private", undefined, otherKey)).status).toBe(404);
    expect((await one(patchCategory, "PATCH", "private", { name: "x" }, otherKey)).status).toBe(404);
    expect((await one(deleteCategory, "DELETE", "private", undefined, otherKey)).status).toBe(404);
    expect((await one(getCategory, "GET", "private")).body.name).toBe("Private");
    expect((await one(getCategory, "GET", "../etc")).status).toBe(404);
    expect((await callRoute(listCategories, { path: "/api/v1/categories", apiKey: otherKey })).body.data).toEqual([]);
  });

  it("answers 413 for an oversized body", async () => {
    const response = await create({ key: "big", name: "x", description: "x".repeat(2_000_000) });
    expect(response.status).toBe(413);
  });
});
