import { describe } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

describe("categories", () => {
  test("create → listed → edit → delete", async ({ page }) => {
    await visit(page, "/categories");
    await expectVisible(heading(page, "Categories"), page.getByText("No categories yet: create one below or with POST /api/v1/categories."));

    const create = page.getByRole("form", { name: "New category" });
    await create.getByLabel("Key").fill("billing");
    await create.getByLabel("Name").fill("Billing");
    await create.getByLabel("Description").fill("Invoices and receipts");
    await create.getByLabel("SMS").uncheck();
    await create.getByRole("button", { name: "Create category" }).click();
    await page.waitForURL(/notice=/);
    const row = page.getByRole("row", { name: /billing/ });
    await expectVisible(page.getByText("Created Billing (billing)."), row, row.getByText("Off on SMS"), row.getByText("Invoices and receipts"));
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link", { name: "Edit billing" }).click();
    await page.waitForURL(/edit=billing/);
    const edit = page.getByRole("form", { name: "Edit billing" });
    await edit.getByLabel("Name").fill("Bills");
    await edit.getByLabel("Urgent (through quiet hours)").check();
    await edit.getByLabel("SMS").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/notice=/);
    const edited = page.getByRole("row", { name: /billing/ });
    await expectVisible(page.getByText("Saved Bills (billing)."), edited.getByText("Bills"), edited.getByText("Urgent", { exact: true }), edited.getByText("On everywhere"));

    await edited.getByRole("button", { name: "Delete billing" }).click();
    await page.waitForURL(/notice=Deleted/);
    await expectVisible(page.getByText("Deleted Bills (billing) and every contact's choices for it."), page.getByText("No categories yet: create one below or with POST /api/v1/categories."));
  });

  test("a duplicate key is refused with the reason", async ({ page, workspace }) => {
    await workspace.api("POST", "/categories", { key: "news", name: "News" });
    await visit(page, "/categories");
    const create = page.getByRole("form", { name: "New category" });
    await create.getByLabel("Key").fill("news");
    await create.getByLabel("Name").fill("More news");
    await create.getByRole("button", { name: "Create category" }).click();
    await page.waitForURL(/problem=/);
    await expectVisible(page.getByRole("alert").getByText('Not created: a category with key "news" already exists.'));
  });
});
