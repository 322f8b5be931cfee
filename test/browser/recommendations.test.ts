import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, visit } from "./support/page-checks";
import { createDraftCampaign } from "./support/seed";

/**
 * Recommendations offline, as `npm run dev` runs without OPENAI_API_KEY: asked from the page,
 * answered by generate-recommendation through the engine from the heuristics, shown with the
 * source, the note saying why, and the data they were based on.
 */
describe("recommendations", () => {
  test("content feedback asked from the Recommendations page is answered by the heuristics, with its basis", async ({ page, workspace }) => {
    await createDraftCampaign(workspace.api, "Spring news", 2);
    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Recommendations" }).click();
    await page.waitForURL("**/recommendations");
    await expectVisible(heading(page, "Recommendations"), page.getByText("No recommendations yet."));

    await page.locator('select[name="kind"]').selectOption({ label: "Content feedback" });
    await page.locator('select[name="target"]').selectOption({ label: "Template: Spring news template" });
    await page.getByRole("button", { name: "Ask" }).click();
    await expectText(page.locator("form.ask-recommendation").getByRole("status"), /Asked: the answer appears below/);

    const card = page.getByRole("article", { name: "Content feedback: Spring news template" });
    await expectText(card, /Source: Heuristics/);
    await expectVisible(card.getByText(/Note: Answered by the heuristics over the rollups \(no OPENAI_API_KEY/), card.getByText(/No unsubscribe link/));
    await card.getByText("Based on").click();
    await expectText(card.locator("pre"), /"kind": "content-feedback"/);
    await expectText(card.locator("pre"), /Hello \{\{ contact\.first_name \}\}, here is our news\./);
    await expectNoHorizontalOverflow(page);

    // The same question on the same data: the stored answer, no second card.
    await page.locator('select[name="kind"]').selectOption({ label: "Content feedback" });
    await page.locator('select[name="target"]').selectOption({ label: "Template: Spring news template" });
    await page.getByRole("button", { name: "Ask" }).click();
    await expectText(page.locator("form.ask-recommendation").getByRole("status"), /Answered before on the same data/);
    expect(await page.getByRole("article").count()).toBe(1);
  });

  test("the campaign page asks about its campaign and shows the answer", async ({ page, workspace }) => {
    const campaignId = await createDraftCampaign(workspace.api, "Summer news", 1);
    await visit(page, `/campaigns/${campaignId}`);
    const panel = page.getByRole("region", { name: "Recommendations" });
    await panel.locator('select[name="kind"]').selectOption({ label: "Campaign results summary" });
    await panel.getByRole("button", { name: "Ask" }).click();
    const card = panel.getByRole("article", { name: "Campaign results summary: Summer news" });
    await expectText(card, /Summer news: nothing sent yet/);
    await expectVisible(card.getByText(/Source: Heuristics/));
  });
});
