import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { saveDeliverySettings } from "@/db/queries/delivery-settings";
import { addDigestItem } from "@/db/queries/digests";
import { contacts, notificationCategories } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

// Outside a request: no cookie jar (the page falls back to the oldest workspace).
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

let database: Database;

beforeAll(async () => {
  database = await useTestDatabase();
  const { workspace } = await createWorkspace(database.db, { name: "Delivery page" });
  const workspaceId = workspace.id;
  await saveDeliverySettings(database.db, { workspaceId, quietHoursStart: "21:00", quietHoursEnd: "08:00", timezone: "Europe/Berlin" });
  await database.db.insert(notificationCategories).values([
    { workspaceId, key: "security", name: "Security", urgent: true },
    { workspaceId, key: "marketing", name: "Marketing", capLimit: 3, capPeriodSeconds: 86_400 },
    { workspaceId, key: "activity", name: "Activity", digestWindowSeconds: 3_600 },
  ]);
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email: "page@example.com" }).returning();
  for (const n of [1, 2]) {
    await addDigestItem(database.db, {
      workspaceId,
      contactId: contact!.id,
      category: "activity",
      channel: "email",
      windowSeconds: 3_600,
      item: { idempotencyKey: `item-${n}`, templateId: null, subject: "s", body: "b", data: {} },
    });
  }
});
afterAll(async () => {
  await database.close();
});

describe("/delivery", () => {
  it("shows quiet hours, each category's rules and the pending digests", async () => {
    const { default: DeliveryPage } = await import("@/app/(dashboard)/delivery/page");
    const html = renderToStaticMarkup(await DeliveryPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain("21:00–08:00");
    expect(html).toContain("Europe/Berlin");
    expect(html).toContain("Yes: skips quiet hours");
    expect(html).toContain("3 per day per channel");
    expect(html).toContain("<td>hour</td>");
    expect(html).toMatch(/<td>activity<\/td><td>Email<\/td><td class="num">2<\/td>/);
  });
});
