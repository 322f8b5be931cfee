import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";
import { createDraftCampaign } from "./support/seed";

// Sending is paced at two emails a second in this suite, then the archive and the restore each run through the engine.
const FLOW_TIMEOUT_MS = 120_000;

const archiveState = (page: Page) => page.locator("[data-archive-status]");

/** The panel does not refresh itself once the campaign is finished: reload until the archive reaches `status`. */
async function reloadUntil(page: Page, status: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        return archiveState(page).getAttribute("data-archive-status", { timeout: 2_000 }).catch(() => null);
      },
      { timeout: 60_000, interval: 500 },
    )
    .toBe(status);
}

describe("a campaign archived and restored from its page", () => {
  test("Archive moves its rows to cold storage, Restore brings them back, and the API agrees at each step", async ({ page, workspace }) => {
    const id = await createDraftCampaign(workspace.api, "Autumn digest", 3);
    await workspace.api("POST", `/campaigns/${id}/send`);
    await expect.poll(async () => (await workspace.api<{ status: string }>("GET", `/campaigns/${id}`)).status, { timeout: 60_000, interval: 250 }).toBe("sent");

    await visit(page, `/campaigns/${id}`);
    await expectVisible(page.getByText("Not archived."));
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toBe("Move this campaign's recipients, messages and events to cold storage?");
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Archive", exact: true }).click();
    await expectText(page.locator("form.archive-actions").getByRole("status"), "Archiving: the campaign's rows are being written to cold storage.");
    await reloadUntil(page, "archived");
    await expectText(archiveState(page), /\d+ rows in \d+ files \([\d.]+ KiB\)/);
    await expectVisible(page.getByRole("button", { name: "Restore" }));
    const archived = await workspace.api<{ archive: { status: string; rowsInArchive: boolean }; stats: { sent: number } }>("GET", `/campaigns/${id}`);
    expect(archived).toMatchObject({ archive: { status: "archived", rowsInArchive: true }, stats: { sent: 3 } });
    await saveScreenshot(page, "archives", "archived");

    await visit(page, "/archives");
    await expectVisible(page.getByRole("link", { name: "Autumn digest" }));
    await expectText(page.locator("table .badge").first(), "archived");

    await visit(page, `/campaigns/${id}`);
    await page.getByRole("button", { name: "Restore" }).click();
    await expectText(page.locator("form.archive-actions").getByRole("status"), "Restoring: the campaign's rows are being checked and put back.");
    await reloadUntil(page, "restored");
    await expectVisible(page.getByRole("button", { name: "Archive", exact: true }));
    const restored = await workspace.api<{ archive: { status: string; rowsInArchive: boolean }; stats: { sent: number } }>("GET", `/campaigns/${id}`);
    expect(restored).toMatchObject({ archive: { status: "restored", rowsInArchive: false }, stats: { sent: 3 } });
  }, FLOW_TIMEOUT_MS);
});
