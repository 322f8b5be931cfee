import { describe, expect } from "vitest";
import { readExportZip } from "@/lib/exports/read-export-zip";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts, createList } from "./support/seed";

/**
 * Exports from the dashboard, against `next start` and the local engine: requested on the
 * Exports page, built by build-export, shown with their progress until the download link
 * appears; the link hands out a zip whose files hold the workspace's rows, and an altered link
 * gets a clear page instead of the file.
 */
describe("exports", () => {
  test("a workspace export requested on the page becomes a download of the workspace's rows", async ({ page, workspace, problems }) => {
    const contacts = await createContacts(workspace.api, 3, { domain: "export.example" });
    await createList(workspace.api, "Export list", contacts.slice(0, 2));
    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exports" }).click();
    await page.waitForURL("**/exports");
    await expectVisible(heading(page, "Exports"), page.getByText("No exports yet."));

    await page.getByLabel("Email the link to").fill("owner@export.example");
    await page.getByRole("button", { name: "Export" }).click();
    await expectText(page.locator("form.request-export").getByRole("status"), /Export requested: .* An email goes to owner@export\.example/);

    const row = page.locator("table.exports tbody tr").first();
    const link = row.getByRole("link", { name: "Download zip" });
    await expectVisible(link);
    await expectText(row, /ready/);
    expect(await row.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("100");
    await expectNoHorizontalOverflow(page);

    const href = (await link.getAttribute("href"))!;
    const response = await page.request.get(href);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/zip");
    const zip = await readExportZip((async function* () {
      yield new Uint8Array(await response.body());
    })());
    expect(zip.problems).toEqual([]);
    const rows = Object.fromEntries(zip.files.filter((file) => file.name.endsWith(".jsonl")).map((file) => [file.name, file.rows]));
    expect(rows).toMatchObject({ "contacts.jsonl": 3, "lists.jsonl": 1, "list_members.jsonl": 2 });

    // An altered link: a clear page, never the file.
    problems.allow(/403/);
    const altered = href.replace(/.$/, (last) => (last === "A" ? "B" : "A"));
    const refused = await page.goto(altered);
    expect(refused?.status()).toBe(403);
    await expectVisible(page.getByRole("heading", { name: "This download link is not valid" }));
  });

  test("a contact export is found by email; an unknown contact is refused in words", async ({ page, workspace }) => {
    await createContacts(workspace.api, 1, { domain: "contact-export.example" });
    await visit(page, "/exports");
    await page.getByLabel("One contact's data").check();
    await page.getByLabel("Contact email or id").fill("nobody@contact-export.example");
    await page.getByRole("button", { name: "Export" }).click();
    await expectText(page.locator("form.request-export").getByRole("status"), /No contact nobody@contact-export\.example in this workspace/);

    await page.getByLabel("Contact email or id").fill("PERSON1@contact-export.example");
    await page.getByRole("button", { name: "Export" }).click();
    await expectText(page.locator("form.request-export").getByRole("status"), /Export requested/);
    const row = page.locator("table.exports tbody tr", { hasText: "Contact person1@contact-export.example" });
    await expectVisible(row.getByRole("link", { name: "Download zip" }));
  });
});
