import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { CAMPAIGN_BUTTONS } from "@/app/(dashboard)/_lib/campaign-action-state";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, progressOf, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";
import { createDraftCampaign } from "./support/seed";

// The suite's server sends campaign email at two a second, one per request (start-production-app.ts).
// A flow is a dozen round trips and a paced send: on a loaded machine that outlasts the default timeout.
const FLOW_TIMEOUT_MS = 120_000;

/** Clicks a campaign button, accepting its confirmation when it asks for one, and waits for its outcome line. */
async function press(page: Page, action: keyof typeof CAMPAIGN_BUTTONS): Promise<void> {
  const { label, confirm, done } = CAMPAIGN_BUTTONS[action];
  if (confirm) {
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toBe(confirm);
      void dialog.accept();
    });
  }
  await page.getByRole("button", { name: label }).click();
  await expectText(page.locator("form.campaign-actions").getByRole("status"), done);
}

const statusBadge = (page: Page) => page.locator(".page-header .badge");
const progressBar = (page: Page) => page.getByRole("progressbar", { name: /Campaign progress/ });

async function buttons(page: Page): Promise<string[]> {
  return (await page.locator(".campaign-actions button").allTextContents()).map((text) => text.trim());
}

describe("a campaign driven from its page", () => {
  test("is sent, paused, resumed and cancelled with its buttons, the page following each state", async ({ page, workspace }) => {
    const id = await createDraftCampaign(workspace.api, "Spring sale", 40);
    await visit(page, `/campaigns/${id}`);
    await expect(buttons(page)).resolves.toEqual(["Send now", "Cancel campaign"]);

    await press(page, "send");
    await expectText(statusBadge(page), "sending");
    await expectVisible(page.getByText("live", { exact: true }));
    // The page refreshes itself while sending: the bar moves without a reload.
    await expect.poll(() => progressOf(progressBar(page)), { timeout: 20_000, interval: 200 }).toBeGreaterThan(0);
    await expect(buttons(page)).resolves.toEqual(["Pause", "Cancel campaign"]);
    await saveScreenshot(page, "campaign-actions", "sending");

    await press(page, "pause");
    await expectText(statusBadge(page), "paused");
    await expect(buttons(page)).resolves.toEqual(["Resume", "Cancel campaign"]);
    await expect(workspace.api<{ status: string }>("GET", `/campaigns/${id}`)).resolves.toMatchObject({ status: "paused" });
    await saveScreenshot(page, "campaign-actions", "paused");

    const beforeResume = (await progressOf(progressBar(page))) ?? 0;
    await press(page, "resume");
    await expectText(statusBadge(page), "sending");
    await expect.poll(() => progressOf(progressBar(page)), { timeout: 20_000, interval: 200 }).toBeGreaterThan(beforeResume);

    await press(page, "cancel");
    await expectText(statusBadge(page), "cancelled");
    await expectVisible(page.getByText("No actions apply to a cancelled campaign."));
    const campaign = await workspace.api<{ status: string; stats: { sent: number; audience: number } }>("GET", `/campaigns/${id}`);
    expect(campaign.status).toBe("cancelled");
    expect(campaign.stats.sent).toBeLessThan(40);
  }, FLOW_TIMEOUT_MS);

  test("sent to the end, its bar reaches 100 % and the outbox holds every message", async ({ page, workspace }) => {
    const id = await createDraftCampaign(workspace.api, "Welcome series", 4);
    await visit(page, `/campaigns/${id}`);

    await press(page, "send");
    await expectText(statusBadge(page), "sent", 30_000);
    await expect(progressOf(progressBar(page))).resolves.toBe(100);
    await expectText(page.locator(".progress-text"), "100% · 4 / 4 recipients");
    await expectText(page.locator(".counter-sent .card-value"), "4");
    await expectVisible(page.getByText("No actions apply to a sent campaign."));

    await visit(page, `/outbox?campaignId=${id}`);
    await expect(page.locator("table.data tbody tr").count()).resolves.toBe(4);
  }, FLOW_TIMEOUT_MS);
});
