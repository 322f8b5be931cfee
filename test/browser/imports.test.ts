import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { contactsCsv } from "./support/contacts-csv";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, visit } from "./support/page-checks";

describe("imports", () => {
  test("an import made through the API is listed with its counters, and its page shows the result and the error report", async ({ page, workspace, suite }) => {
    // POST /api/v1/imports is multipart: the API client speaks JSON, so this one is sent by hand.
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(contactsCsv({ valid: 40, invalid: 2, domain: "api-import.example" }))], { type: "text/csv" }), "crm-export.csv");
    form.set("mode", "create-only");
    const created = await fetch(`${suite.baseUrl}/api/v1/imports`, { method: "POST", headers: { authorization: `Bearer ${workspace.apiKey}` }, body: form });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await expect.poll(async () => (await workspace.api<{ status: string }>("GET", `/imports/${id}`)).status, { timeout: 30_000, interval: 200 }).toBe("completed");

    await visit(page, "/imports");
    await expectVisible(heading(page, /Imports/), page.getByText("Contact files, newest first."));
    const row = page.getByRole("row", { name: /crm-export\.csv/ });
    await expectVisible(row, row.getByText("completed", { exact: true }), row.getByText("create-only", { exact: true }));
    await expect(row.getByRole("progressbar").getAttribute("aria-valuenow")).resolves.toBe("100");
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link", { name: "crm-export.csv" }).click();
    await page.waitForURL(`**/imports/${id}`);
    await expectVisible(heading(page, "crm-export.csv"), page.getByRole("heading", { name: /Error report/ }), page.getByRole("heading", { name: "Details" }));
    await expectText(page.locator(".counter-inserted .card-value"), "40");
    await expectText(page.locator(".counter-failed .card-value"), "2");
    await expect(page.locator("table.data tbody tr").count()).resolves.toBe(2);
    await expectNoHorizontalOverflow(page);

    // The error report downloads as CSV from the page's own link.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download error report (CSV)" }).click();
    const report = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of report) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString("utf8")).toContain("not-an-address-1");
  });
});
