import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, visit } from "./support/page-checks";
import { createDraftCampaign } from "./support/seed";

describe("a campaign delivered at a local time", () => {
  test("takes its local send time on its page, then shows when each zone is sent", { timeout: 120_000 }, async ({ page, workspace }) => {
    const id = await createDraftCampaign(workspace.api, "Morning digest", 3);
    await visit(page, `/campaigns/${id}`);
    await expectVisible(page.getByText("— (everyone at the send time)"));

    await page.getByLabel("Deliver at (each recipient's local time)").fill("09:00");
    await page.getByRole("button", { name: "Save local time" }).click();
    await expectText(page.locator("form").filter({ hasText: "Deliver at" }).getByRole("status"), "Delivered at 09:00 in each recipient's time zone.");
    await expectVisible(
      page.getByText("09:00 in each recipient's time zone (the workspace's zone when unknown)"),
      page.getByText("Delivered at 09:00 in each recipient's time zone: the zones are planned when sending starts."),
    );
    await expect(workspace.api<{ localSendTime: string | null }>("GET", `/campaigns/${id}`)).resolves.toMatchObject({ localSendTime: "09:00" });

    // Sent now: the recipients have no zone of their own, so they wait for 09:00 in the workspace's (UTC).
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Send now" }).click();
    const zones = page.getByRole("table", { name: "Time zones" });
    // Planned by the send run; the page refreshes itself while the campaign is sending.
    const row = zones.getByRole("row", { name: /UTC/ });
    await row.waitFor({ state: "visible", timeout: 60_000 });
    await expect(row.locator("td.num").allTextContents()).resolves.toEqual(["3", "0", "0 / 1"]);
    // The field is gone once the campaign has started: the time can no longer change.
    await expect(page.getByRole("button", { name: "Save local time" }).count()).resolves.toBe(0);
  });
});
