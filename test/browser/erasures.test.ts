import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts } from "./support/seed";

/**
 * Erasure from the dashboard: Erase on a contact's page hides the contact at once and opens the
 * Erasures page, which shows it pending with its window, mails the recovery link again, and Restore
 * brings the contact back.
 */
describe("erasures", () => {
  test("erase a contact from its page, see it pending on the Erasures page, and restore it", async ({ page, workspace }) => {
    const [contactId] = await createContacts(workspace.api, 1, { domain: "erasures.example.com" });
    await visit(page, `/contacts/${contactId}`);
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toMatch(/^Erase this contact\?/);
      void dialog.accept();
    });
    await page.getByRole("button", { name: "Erase", exact: true }).click();
    // Hidden at once, its page too: the dashboard shows the erasure, where it can be undone.
    await page.waitForURL("**/erasures?**");
    await expectVisible(heading(page, "Erasures"));
    await expectVisible(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Erasures" }));
    const row = page.locator(`tr:has-text("${contactId}")`);
    await expectText(row, /pending/);
    await expectNoHorizontalOverflow(page);

    await row.getByRole("button", { name: "Send recovery email" }).click();
    await expectText(row.getByRole("status").filter({ hasText: /Asked for/ }), /at most 2 recovery emails/);

    await row.getByRole("button", { name: "Restore" }).click();
    await expectText(page.locator(`tr:has-text("${contactId}")`), /restored/);
    await page.locator(`tr:has-text("${contactId}")`).getByRole("link", { name: "Open contact" }).click();
    await page.waitForURL(`**/contacts/${contactId}`);
    await expectVisible(page.getByRole("button", { name: "Erase", exact: true }));
  });
});
