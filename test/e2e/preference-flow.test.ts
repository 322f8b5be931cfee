import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { rowsOf } from "@/db/queries/rows-of";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { metrics } from "@/lib/observability/metrics";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";

/**
 * "A preference opt-out blocks exactly its category", end to end through the local engine and
 * the outbox: a contact opted out of `billing` on email gets a required `security` email and an
 * uncategorised one, and not the billing one — as a notification and as a campaign — while a
 * contact who made no choice gets all three.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let routes: {
  notifications: typeof import("@/app/api/v1/notifications/route");
  notification: typeof import("@/app/api/v1/notifications/[id]/route");
  categories: typeof import("@/app/api/v1/categories/route");
  preferences: typeof import("@/app/api/v1/contacts/[id]/preferences/route");
  campaigns: typeof import("@/app/api/v1/campaigns/route");
  campaign: typeof import("@/app/api/v1/campaigns/[id]/route");
  action: typeof import("@/app/api/v1/campaigns/[id]/[action]/route");
};
let optedOut: string;
let chose: string;
let listId: string;
let templateId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Preferences E2E" }));
  app = await startAppEngine();
  routes = {
    notifications: await import("@/app/api/v1/notifications/route"),
    notification: await import("@/app/api/v1/notifications/[id]/route"),
    categories: await import("@/app/api/v1/categories/route"),
    preferences: await import("@/app/api/v1/contacts/[id]/preferences/route"),
    campaigns: await import("@/app/api/v1/campaigns/route"),
    campaign: await import("@/app/api/v1/campaigns/[id]/route"),
    action: await import("@/app/api/v1/campaigns/[id]/[action]/route"),
  };
  for (const body of [
    { key: "billing", name: "Billing" },
    { key: "security", name: "Security", required: true, urgent: true },
  ]) {
    expect((await callRoute(routes.categories.POST, { method: "POST", path: "/api/v1/categories", apiKey, body })).status).toBe(201);
  }
  ({ listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 2, prefix: "p" }));
  const ids = rowsOf<{ id: string; email: string }>(await database.db.execute(sql`select id, email from contacts where workspace_id = ${workspaceId}::uuid order by email`));
  optedOut = ids.find((r) => r.email === "p1@example.com")!.id;
  chose = ids.find((r) => r.email === "p2@example.com")!.id;
  const changed = await callRoute(routes.preferences.PATCH, {
    method: "PATCH",
    path: `/api/v1/contacts/${optedOut}/preferences`,
    apiKey,
    params: { id: optedOut },
    body: { preferences: [{ channel: "email", category: "billing", enabled: false }] },
  });
  expect(changed.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const blocked = () => metrics().registry.metrics();
const notify = (body: Record<string, unknown>) => callRoute(routes.notifications.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body });
const notification = (id: string) => callRoute(routes.notification.GET, { path: `/api/v1/notifications/${id}`, apiKey, params: { id } });
const settled = (id: string) => waitFor(() => notification(id), (r) => ["sent", "suppressed", "failed"].includes(r.body.status), 60_000);

describe("a preference opt-out blocks exactly its category", () => {
  it("for notifications: billing is suppressed with the reason; security (required) and uncategorised go out", async () => {
    const before = await blocked();
    const queued: Record<string, string> = {};
    for (const [name, contactId, category] of [
      ["billing", optedOut, "billing"],
      ["security", optedOut, "security"],
      ["plain", optedOut, undefined],
      ["other-billing", chose, "billing"],
    ] as const) {
      const response = await notify({ messageId: `pref-${name}`, channel: "email", contactId, subject: `A ${name} email`, body: "<p>Hi</p>", ...(category ? { category } : {}) });
      expect(response.status).toBe(202);
      queued[name] = response.body.id;
    }
    const billing = await settled(queued.billing!);
    expect(billing.body).toMatchObject({ status: "suppressed", category: "billing", error: "The contact opted out of billing on Email" });
    for (const name of ["security", "plain", "other-billing"]) expect((await settled(queued[name]!)).body.status).toBe("sent");
    expect((await notification(queued.security!)).body.category).toBe("security");

    const outbox = await listOutboxMessages(database.db, { workspaceId, limit: 50 });
    expect(outbox.map((m) => m.subject).sort()).toEqual(["A other-billing email", "A plain email", "A security email"]);
    const moved = sampleSum(await blocked(), "sendline_preference_blocks_total", { channel: "email", path: "notification" }) - sampleSum(before, "sendline_preference_blocks_total", { channel: "email", path: "notification" });
    expect(moved).toBe(1);
  });

  it("refuses a notification naming a category the workspace does not have, naming those it has", async () => {
    const response = await notify({ messageId: "pref-unknown", channel: "email", contactId: chose, subject: "x", body: "<p>x</p>", category: "bills" });
    expect(response.status).toBe(400);
    expect(response.body.error.fields.category).toEqual(['unknown category "bills"; this workspace\'s categories are: billing, security']);
  });

  it.each([
    ["billing", { sent: 1, suppressed: 1 }],
    ["security", { sent: 2, suppressed: 0 }],
    [null, { sent: 2, suppressed: 0 }],
  ] as const)("for a campaign of category %s", async (category, expected) => {
    const created = await callRoute(routes.campaigns.POST, {
      method: "POST",
      path: "/api/v1/campaigns",
      apiKey,
      body: { name: `Campaign ${category}`, channel: "email", templateId, audience: { listId }, ...(category ? { category } : {}) },
    });
    expect(created.status).toBe(201);
    expect(created.body.category).toBe(category);
    const id = created.body.id;
    expect((await callRoute(routes.action.POST, { method: "POST", path: `/api/v1/campaigns/${id}/send`, apiKey, params: { id, action: "send" } })).status).toBeLessThan(300);
    const done = await waitFor(
      () => callRoute(routes.campaign.GET, { path: `/api/v1/campaigns/${id}`, apiKey, params: { id } }),
      (r) => ["sent", "failed", "cancelled"].includes(r.body.status),
      90_000,
    );
    expect(done.body.status).toBe("sent");
    expect(done.body.stats).toMatchObject(expected);
    const recipients = rowsOf<{ email: string; status: string; reason: string | null; category: string | null }>(
      await database.db.execute(sql`
        select c.email, r.status::text, r.reason, m.category from campaign_recipients r
        join contacts c on c.id = r.contact_id left join messages m on m.id = r.message_id
        where r.campaign_id = ${id}::uuid order by c.email`),
    );
    // Every campaign email offers the way to choose: the footer links the preference center.
    const emails = await listOutboxMessages(database.db, { workspaceId, filter: { campaignId: id }, limit: 10 });
    expect(emails).toHaveLength(expected.sent);
    for (const email of emails) expect(email.html).toMatch(/<a href="[^"]*\/p\/[^"]+"[^>]*>Manage your preferences<\/a>/);
    if (category === "billing") {
      expect(recipients).toEqual([
        { email: "p1@example.com", status: "suppressed", reason: "The contact opted out of billing on Email", category: null },
        { email: "p2@example.com", status: "sent", reason: null, category: "billing" },
      ]);
    } else {
      expect(recipients.map((r) => [r.status, r.category])).toEqual([
        ["sent", category],
        ["sent", category],
      ]);
    }
  });
});
