import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

describe("audit log and backups", () => {
  test("the audit log lists the workspace's entries with its chain verified, and filters them", async ({ page, workspace }) => {
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    try {
      await insertAuditEntry(database.db, { workspaceId: workspace.id, actor: "dashboard", action: "campaign.paused", targetType: "campaign", targetId: "browser-campaign", details: { reason: "manual" } });
      await insertAuditEntry(database.db, { workspaceId: workspace.id, actor: "api_key:browser", action: "contact.updated", targetType: "contact", targetId: "browser-contact" });
    } finally {
      await database.close();
    }

    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL("**/audit-log");
    await expectVisible(heading(page, "Audit log"), page.getByText(/Chain verified: \d+ entries, every hash and link matches/));
    await expectVisible(page.getByRole("row", { name: /campaign\.paused/ }), page.getByRole("row", { name: /contact\.updated/ }));
    await expectNoHorizontalOverflow(page);

    await page.getByLabel("Action").fill("campaign.paused");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/\/audit-log\?action=campaign\.paused/);
    await expectVisible(page.getByRole("row", { name: /browser-campaign/ }));
    await expect.poll(() => page.getByRole("row", { name: /contact\.updated/ }).count()).toBe(0);
  });

  test("a backup started from the dashboard completes and shows how to restore it", async ({ page }) => {
    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Backups" }).click();
    await page.waitForURL("**/backups");
    await expectVisible(heading(page, "Backups"));
    await page.getByRole("button", { name: "Back up now" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: /Backup [0-9a-f]{8} started/ }));
    // run-backup takes it through the engine; the page redraws itself while it runs.
    const done = page.getByRole("row", { name: /completed/ });
    await expect.poll(() => done.count(), { timeout: 30_000, interval: 500 }).toBeGreaterThan(0);
    await expectVisible(done.first().getByText(/npm run backup:restore -- --from [0-9a-f-]{36}/));
    await expectNoHorizontalOverflow(page);
  });
});
