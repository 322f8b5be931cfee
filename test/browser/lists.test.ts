import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts, createList } from "./support/seed";

describe("lists", () => {
  test("without lists, says how to make one", async ({ page }) => {
    await visit(page, "/lists");
    await expectVisible(heading(page, "Lists"), page.getByText("No lists yet: create one with POST /api/v1/lists."));
  });

  test("shows each list with its member count, and leads to its members", async ({ page, workspace }) => {
    const members = await createContacts(workspace.api, 3, { domain: "members.example" });
    await createList(workspace.api, "Newsletter", members);
    await createList(workspace.api, "Empty list");

    await visit(page, "/lists");
    const newsletter = page.getByRole("row", { name: /Newsletter/ });
    await expectVisible(heading(page, "Lists"), newsletter, page.getByRole("row", { name: /Empty list/ }));
    await expect(newsletter.locator("td.num").textContent()).resolves.toBe("3");
    await expectNoHorizontalOverflow(page);

    await newsletter.getByRole("link", { name: "Newsletter" }).click();
    await page.waitForURL(/\/contacts\?listId=/);
    await expectVisible(page.getByText("Members of the list Newsletter, newest first."));
    await expect(page.getByRole("row", { name: /@members\.example/ }).count()).resolves.toBe(3);
  });
});
