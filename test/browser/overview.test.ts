import { describe, expect } from "vitest";
import { NAV_ITEMS } from "@/app/(dashboard)/_lib/nav";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { sendNotification } from "./support/seed";

describe("the overview", () => {
  test("counts the workspace's messages and lists the latest", async ({ page, workspace }) => {
    await sendNotification(workspace.api, { to: "ada@example.com", subject: "Your order has shipped" });

    await visit(page, "/");
    await expectVisible(heading(page, "Overview"), page.getByText(`Workspace ${workspace.name}`), page.getByRole("heading", { name: "By status" }));
    const lastDay = page.locator(".card", { hasText: "Messages, last 24 h" });
    await expect(lastDay.locator(".card-value").textContent()).resolves.toBe("1");
    await expect(page.locator(".card", { hasText: "Database" }).locator(".card-value").textContent()).resolves.toBe("postgres");
    await expectVisible(page.getByRole("heading", { name: "Recent messages" }), page.getByRole("cell", { name: "ada@example.com" }));
    await expectNoHorizontalOverflow(page);
  });

  test("its menu leads to every section, marking where you are", async ({ page }) => {
    await visit(page, "/");
    const menu = page.getByRole("navigation", { name: "Main" });
    for (const item of NAV_ITEMS) {
      await menu.getByRole("link", { name: item.label, exact: true }).click();
      await page.waitForURL((url) => url.pathname === item.href);
      await expectVisible(page.getByRole("heading", { level: 1 }));
      await expect(menu.getByRole("link", { name: item.label, exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    }
    await page.getByRole("link", { name: "Sendline", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expectVisible(heading(page, "Overview"));
  });
});
