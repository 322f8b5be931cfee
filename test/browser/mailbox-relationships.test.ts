import type { Locator } from "playwright-core";
import { describe, expect } from "vitest";
import { RELATIONSHIP_OWNER, relationshipMailbox } from "@/test/fixtures/mailbox/relationship-mailbox";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, heading, visit } from "./support/page-checks";

/**
 * Relationships in the dashboard, offline: the designed mailbox (without its list-mail filler)
 * imported through the API, analysed by analyse-relationships after the import's debounced
 * request, shown on /mailbox/relationships in its three sections, and a contact's summary asked
 * with the Summarise button and answered by the heuristics.
 */
const rows = (section: Locator) => section.locator("tbody tr");

describe("relationships in the dashboard", () => {
  test("the relationships page says to import first, then lists top relationships, those going cold and threads awaiting a reply", async ({ page, workspace, suite }) => {
    await visit(page, "/mailbox/relationships");
    await expectVisible(heading(page, "Relationships"), page.getByRole("navigation", { name: "Mailbox" }).getByRole("link", { name: "Relationships" }));
    for (const name of ["Top relationships", "Going cold", "Threads awaiting your reply"]) {
      await expectVisible(page.getByRole("region", { name }).getByRole("link", { name: "import a mailbox export" }));
    }

    const { mbox } = relationshipMailbox({ now: new Date(), count: 0 });
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(mbox)]), "takeout.mbox");
    form.append("ownerAddresses", RELATIONSHIP_OWNER);
    const upload = await fetch(`${suite.baseUrl}/api/v1/mailbox/imports`, { method: "POST", headers: { authorization: `Bearer ${workspace.apiKey}` }, body: form });
    expect(upload.status).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    await expect.poll(async () => (await workspace.api<{ done: boolean }>("GET", `/mailbox/connections/${id}`)).done, { timeout: 40_000, interval: 500 }).toBe(true);
    // The import's end asks for a recompute, debounced for 10 s.
    await expect.poll(async () => (await workspace.api<{ data: unknown[] }>("GET", "/mailbox/relationships")).data.length, { timeout: 40_000, interval: 1_000 }).toBeGreaterThan(0);

    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("link", { name: "Imports and contacts" }).click();
    await page.waitForURL("**/mailbox");
    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("link", { name: "Relationships" }).click();
    await page.waitForURL("**/mailbox/relationships");

    const top = page.getByRole("region", { name: "Top relationships" });
    expect(await rows(top).locator("td:first-child a").allTextContents().then((names) => names.slice(0, 5))).toEqual(["Priya Raman", "Marco Bianchi", "David Okafor", "Tom Becker", "Elena Petrova"]);
    const cold = page.getByRole("region", { name: "Going cold" });
    expect(await rows(cold).locator("td:first-child a").allTextContents()).toEqual(["Elena Petrova"]);
    const awaiting = page.getByRole("region", { name: "Threads awaiting your reply" });
    expect(await rows(awaiting).count()).toBe(1);
    await expectVisible(rows(awaiting).getByRole("link", { name: "Marco Bianchi" }), rows(awaiting).getByText("Q3 renewal: revised quote"));
  });

  test("a contact's Mailbox section shows the relationship, and Summarise shows the summary and the next action", async ({ page }) => {
    await visit(page, "/mailbox/relationships");
    await page.getByRole("region", { name: "Threads awaiting your reply" }).getByRole("link", { name: "Marco Bianchi" }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}/);
    const panel = page.getByRole("region", { name: "Relationship" });
    await expectVisible(panel.getByText(/^\d+ \/ 100$/), panel.getByText("1 thread — newest “Q3 renewal: revised quote”", { exact: false }), panel.getByText(/^No summary yet/));

    await panel.getByRole("button", { name: "Summarise" }).click();
    await expectText(panel.getByRole("status"), "Summarised by the heuristics.");
    const summary = panel.getByLabel("Relationship summary");
    await expectText(summary.locator("p").nth(1), "Next: Reply to “Q3 renewal: revised quote” — waiting 4 days");
    await expectVisible(summary.getByText(/^Strong relationship \(strength \d+\/100\): 24 messages sent and 25 received since \d{4}-\d\d-\d\d, the last 4 days ago; a two-way conversation\./));
  });
});
