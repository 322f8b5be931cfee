import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { contactsCsv } from "./support/contacts-csv";
import { expectText, expectVisible, heading, progressOf, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";
import { createList } from "./support/seed";

/** The form sits in a panel that is open only while there are no imports yet: open it as a person would. */
async function openUploadPanel(page: Page): Promise<void> {
  const panel = page.locator("details.upload-panel");
  if ((await panel.getAttribute("open")) === null) await panel.getByText("Upload a file").click();
}

// The suite's server imports 500 records per chunk (start-production-app.ts): a few thousand rows take several steps.

describe("uploading contacts through the dashboard", () => {
  test("a file uploaded with the form is imported, its bar reaching 100 % as the page refreshes itself", async ({ page, workspace }) => {
    await createList(workspace.api, "Customers");
    await visit(page, "/imports");
    await expectVisible(heading(page, /Imports/), page.getByText("No imports yet."));

    await openUploadPanel(page);
    await page.getByLabel("File (CSV, XLSX or vCard)").setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: contactsCsv({ valid: 3_000, invalid: 12 }) });
    await page.getByLabel("Add to list").selectOption({ label: "Customers" });
    await page.getByRole("button", { name: "Upload and import" }).click();

    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await expectVisible(heading(page, "customers.csv"));
    const bar = page.getByRole("progressbar", { name: /Import progress/ });
    const seen: (number | null)[] = [];
    await expect
      .poll(
        async () => {
          const value = await progressOf(bar);
          if (seen.at(-1) !== value) seen.push(value);
          return value;
        },
        { timeout: 45_000, interval: 100 },
      )
      .toBe(100);
    // Once known, the bar only moves forward.
    const known = seen.filter((value): value is number => value !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));

    await expectText(page.locator(".page-header .badge"), "completed");
    await expectText(page.locator(".import-progress .progress-text"), "100% · 3,012 / 3,012 rows");
    await expectText(page.locator(".counter-inserted .card-value"), "3,000");
    await expectText(page.locator(".counter-failed .card-value"), "12");
    await expectVisible(page.getByText("12 rows", { exact: true }), page.getByRole("link", { name: "Download error report (CSV)" }), page.getByRole("link", { name: "Customers" }));
    // Nothing is live any more: the page stopped refreshing itself.
    await expect(page.getByText("live", { exact: true }).count()).resolves.toBe(0);
    await saveScreenshot(page, "import-upload", "import page completed");

    await page.getByRole("link", { name: "Imports", exact: true }).first().click();
    await page.waitForURL((url) => url.pathname === "/imports");
    const row = page.getByRole("row", { name: /customers\.csv/ });
    await expectVisible(row, row.getByText("completed", { exact: true }));
  });

  test("an upload with an invalid field is refused with the field's error, keeping what was typed", async ({ page }) => {
    await visit(page, "/imports");
    await openUploadPanel(page);
    await page.getByLabel("File (CSV, XLSX or vCard)").setInputFiles({ name: "typo.csv", mimeType: "text/csv", buffer: contactsCsv({ valid: 3 }) });
    const mapping = page.getByLabel(/Column mapping/);
    await mapping.fill('{"Email": "emial"}');
    await page.getByRole("button", { name: "Upload and import" }).click();

    await expectText(page.locator("form.upload").getByRole("alert"), "The upload has invalid fields.");
    // The error says what would work, as the API's does.
    await expectText(page.locator(".mapping .field-error"), /^must be one of email, .*"ignore" or "attribute:<key>"/);
    await expect(mapping.inputValue()).resolves.toBe('{"Email": "emial"}');
    expect(new URL(page.url()).pathname).toBe("/imports");
  });
});
