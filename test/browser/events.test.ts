import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts } from "./support/seed";

describe("events", () => {
  test("without events, says how to record one", async ({ page }) => {
    await visit(page, "/events");
    await expectVisible(heading(page, "Events"), page.getByText("No events yet: post one to POST /api/v1/events."));
  });

  test("lists posted events newest first, filters them by name, and shows them on the contact's page", async ({ page, workspace }) => {
    const [ann, bob] = await createContacts(workspace.api, 2, { domain: "events.example" });
    await workspace.api("POST", "/events/batch", {
      events: [
        { id: "order-1", name: "purchase", contactId: ann, properties: { total: 42 } },
        { id: "cart-1", name: "cart.abandoned", contactId: bob },
        { id: "view-1", name: "page.viewed", email: "person1@events.example", properties: { path: "/pricing" } },
      ],
    });

    await visit(page, "/events");
    await expectVisible(heading(page, "Events"), page.getByRole("row", { name: /order-1/ }), page.getByRole("row", { name: /cart-1/ }));
    const rows = page.getByRole("table", { name: "Events" }).locator("tbody tr");
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.first().textContent()).resolves.toContain("page.viewed");
    await expect(page.getByRole("row", { name: /order-1/ }).textContent()).resolves.toContain('{"total":42}');
    await expectNoHorizontalOverflow(page);

    await page.getByLabel("Name").fill("purchase");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/\/events\?name=purchase/);
    await expect(rows.count()).resolves.toBe(1);

    await page.getByRole("row", { name: /order-1/ }).getByRole("link", { name: "person1@events.example" }).click();
    await page.waitForURL(new RegExp(`/contacts/${ann}`));
    await expectVisible(page.getByRole("heading", { name: "Recent events" }), page.getByRole("row", { name: /order-1/ }), page.getByRole("row", { name: /view-1/ }));
    await expect(page.getByRole("row", { name: /cart-1/ }).count()).resolves.toBe(0);
  });
});
