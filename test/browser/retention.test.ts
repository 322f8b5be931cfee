import { sql } from "drizzle-orm";
import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectText, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts } from "./support/seed";

/**
 * A retention policy set from the dashboard: a dry run first (nothing changes), then enabling,
 * which shows the report and, since the policy would anonymise more than the confirmation share
 * of the contacts, asks for a confirmation before it saves; the runs list shows the dry runs.
 */
describe("retention", () => {
  test("dry run, then enabling past the share needs a confirmation; the runs list shows what each would touch", async ({ page, workspace }) => {
    const ids = await createContacts(workspace.api, 5);
    // Two contacts untouched for a year: the inactivity rule's business. Enrichment fills new
    // contacts' company and domain (a change to the contact) a few seconds after they are made:
    // the ageing waits for it.
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    try {
      const enriched = async () =>
        Number(rowsOf<{ count: number }>(await database.db.execute(sql`select count(*)::int as count from contact_enrichments where workspace_id = ${workspace.id}`))[0]?.count ?? 0);
      await expect.poll(enriched, { timeout: 30_000, interval: 200 }).toBe(ids.length);
      const old = new Date(Date.now() - 365 * 86_400_000).toISOString();
      await database.db.execute(sql`update contacts set updated_at = ${old}::timestamptz where workspace_id = ${workspace.id} and id in (${ids[0]}::uuid, ${ids[1]}::uuid)`);
    } finally {
      await database.close();
    }

    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Retention" }).click();
    await page.waitForURL("**/retention");
    await expectVisible(heading(page, "Retention"), page.getByText("No policy is applied"), page.getByText("No runs yet"));

    const form = page.locator("form.retention-policy");
    await form.getByLabel("Anonymise contacts inactive for").fill("180");
    await form.getByLabel("Drop message bodies after").fill("90");
    await form.getByRole("button", { name: "Dry run" }).click();
    await expectText(form.getByRole("status"), /Dry run: nothing was changed/);
    const report = form.getByLabel("Dry run report");
    await expectText(report, /2 of 5 would be anonymised \(40\.0 %; confirmation needed above 10\.0 %\)/);
    await expectVisible(report.locator('tr[data-target="anonymisedContacts"]').getByRole("cell", { name: "2", exact: true }));

    await form.getByLabel(/Enabled/).check();
    await form.getByRole("button", { name: "Save" }).click();
    await expectText(form.getByRole("status"), /would anonymise 2 of 5 contacts \(40\.0 %\), more than 10\.0 %/);
    const confirm = form.getByRole("button", { name: "Confirm and enable: anonymise 2 contacts" });
    await expectVisible(confirm);
    await expectNoHorizontalOverflow(page);
    await confirm.click();
    await expectVisible(page.getByText("The policy is enabled"));
    await expectText(page.locator("form.retention-policy").getByRole("status"), /Saved: the policy runs daily/);

    const runs = page.getByRole("table", { name: "Retention runs" });
    await expectText(runs, /Contacts anonymised \(inactive\): 2/);
    expect(await runs.getByRole("cell", { name: "Dry run", exact: true }).count()).toBeGreaterThanOrEqual(2);
    // Saving never anonymised anyone: the daily run does.
    const contact = await workspace.api<{ email: string | null; anonymisedAt: string | null }>("GET", `/contacts/${ids[0]}`);
    expect(contact).toMatchObject({ email: expect.stringContaining("@"), anonymisedAt: null });
  });
});
