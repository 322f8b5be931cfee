import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { addDigestItem } from "@/db/queries/digests";
import { contacts, notificationCategories } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const settings = await import("@/app/api/v1/delivery-settings/route");
const category = await import("@/app/api/v1/delivery-settings/categories/[key]/route");
const digest = await import("@/app/api/v1/digests/[id]/route");
const flush = await import("@/app/api/v1/digests/[id]/flush/route");

let database: Database;
let apiKey: string;
let otherKey: string;
let digestId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  const mine = await createWorkspace(database.db, { name: "Rules" });
  ({ apiKey } = mine);
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  const workspaceId = mine.workspace.id;
  await database.db.insert(notificationCategories).values({ workspaceId, key: "marketing", name: "Marketing" });
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: "ida@example.com" }).returning();
  ({ digest: { id: digestId } } = await addDigestItem(database.db, {
    workspaceId,
    contactId: contact!.id,
    category: "marketing",
    channel: "email",
    windowSeconds: 600,
    item: { idempotencyKey: "d-1", templateId: null, subject: "s", body: "b", data: {} },
  }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const patchSettings = (body: unknown) => callRoute(settings.PATCH, { method: "PATCH", path: "/api/v1/delivery-settings", apiKey, body });
const patchCategory = (key: string, body: unknown) => callRoute(category.PATCH, { method: "PATCH", path: "/", apiKey, params: { key }, body });

describe("/api/v1/delivery-settings", () => {
  it("starts with no quiet hours in UTC, and keeps what a PATCH leaves out", async () => {
    expect((await callRoute(settings.GET, { path: "/api/v1/delivery-settings", apiKey })).body).toEqual({ quietHours: null, timezone: "UTC" });
    expect((await patchSettings({ quietHours: { start: "21:00", end: "08:00" } })).body).toEqual({ quietHours: { start: "21:00", end: "08:00" }, timezone: "UTC" });
    expect((await patchSettings({ timezone: "europe/berlin" })).body).toEqual({ quietHours: { start: "21:00", end: "08:00" }, timezone: "Europe/Berlin" });
    expect((await patchSettings({ quietHours: null })).body).toEqual({ quietHours: null, timezone: "Europe/Berlin" });
    expect((await callRoute(settings.GET, { path: "/api/v1/delivery-settings", apiKey: otherKey })).body).toEqual({ quietHours: null, timezone: "UTC" });
  });

  it.each([
    [{ timezone: "Mars/Base" }, "timezone", "must be an IANA time zone such as Europe/Berlin"],
    [{ quietHours: { start: "21:00" } }, "quietHours.end", /./],
    [{ quiet: true }, "quiet", /./],
  ])("answers 400 for %j", async (body, field, message) => {
    const response = await patchSettings(body);
    expect(response.status).toBe(400);
    expect(response.body.error.fields[field].join(" ")).toMatch(message);
  });

  it("sets a category's cap and digest window, keeping the other; 404 for an unknown key", async () => {
    expect((await patchCategory("marketing", { cap: { limit: 3, periodSeconds: 86_400 } })).body).toEqual({ key: "marketing", urgent: false, digestWindowSeconds: null, cap: { limit: 3, periodSeconds: 86_400 } });
    expect((await patchCategory("marketing", { digestWindowSeconds: 900 })).body).toMatchObject({ digestWindowSeconds: 900, cap: { limit: 3, periodSeconds: 86_400 } });
    expect((await patchCategory("marketing", { cap: null })).body).toMatchObject({ digestWindowSeconds: 900, cap: null });
    expect((await patchCategory("nope", { cap: null })).status).toBe(404);
    expect((await callRoute(category.GET, { path: "/", apiKey: otherKey, params: { key: "marketing" } })).status).toBe(404);
    expect((await patchCategory("marketing", { cap: { limit: 0, periodSeconds: 10 } })).status).toBe(400);
  });
});

describe("/api/v1/digests/{id}", () => {
  it("answers 404 to another workspace, and 409 to a flush or cancel of a digest no longer pending", async () => {
    expect((await callRoute(digest.GET, { path: "/", apiKey: otherKey, params: { id: digestId } })).status).toBe(404);
    expect((await callRoute(flush.POST, { method: "POST", path: "/", apiKey: otherKey, params: { id: digestId } })).status).toBe(404);
    expect((await callRoute(digest.DELETE, { method: "DELETE", path: "/", apiKey: otherKey, params: { id: digestId } })).status).toBe(404);
    expect((await callRoute(digest.GET, { path: "/", apiKey, params: { id: "not-an-id" } })).status).toBe(404);

    const flushed = await callRoute(flush.POST, { method: "POST", path: "/", apiKey, params: { id: digestId } });
    expect(flushed.status).toBe(202);
    expect(new Date(flushed.body.flushAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(recorder.events.filter((event) => event.data.digestId === digestId).map((event) => event.name)).toEqual(["digest/window.opened", "digest/flush.requested"]);

    expect((await callRoute(digest.DELETE, { method: "DELETE", path: "/", apiKey, params: { id: digestId } })).body).toMatchObject({ status: "cancelled", itemCount: 1 });
    const again = await callRoute(digest.DELETE, { method: "DELETE", path: "/", apiKey, params: { id: digestId } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("The digest is cancelled, not pending");
  });
});
