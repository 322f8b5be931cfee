import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, progressOf, visit } from "./support/page-checks";
import { createDraftCampaign } from "./support/seed";

describe("campaigns", () => {
  test("without campaigns, the list says how to create one", async ({ page }) => {
    await visit(page, "/campaigns");
    await expectVisible(heading(page, "Campaigns"), page.getByText("No campaigns yet: create one with POST /api/v1/campaigns."));
  });

  test("the list shows a draft campaign, and its page shows its audience, template and the actions it allows", async ({ page, workspace }) => {
    const id = await createDraftCampaign(workspace.api, "Autumn letter", 3);

    await visit(page, "/campaigns");
    const row = page.getByRole("row", { name: /Autumn letter/ });
    await expectVisible(heading(page, /Campaigns/), row, row.getByText("draft", { exact: true }));
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link", { name: "Autumn letter", exact: true }).click();
    await page.waitForURL(`**/campaigns/${id}`);
    await expectVisible(
      heading(page, "Autumn letter"),
      page.getByText("email campaign · created"),
      page.getByRole("heading", { name: "Actions" }),
      page.getByRole("button", { name: "Send now" }),
      page.getByRole("button", { name: "Cancel campaign" }),
      page.getByRole("heading", { name: "Details" }),
      page.getByText("Autumn letter audience"),
      page.getByText("Autumn letter template"),
    );
    await expectText(page.locator(".page-header .badge"), "draft");
    const bar = page.getByRole("progressbar", { name: /Campaign progress/ });
    await expect(progressOf(bar)).resolves.toBe(0);
    await expectText(page.locator(".counter-audience .card-value"), "0");
    await expectNoHorizontalOverflow(page);
  });
});
