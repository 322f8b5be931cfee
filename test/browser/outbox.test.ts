import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { sendNotification } from "./support/seed";

describe("the outbox", () => {
  test("lists what the local provider received, and shows a message as its recipient would see it", async ({ page, workspace }) => {
    await sendNotification(workspace.api, { to: "margaret@example.com", subject: "Password reset" });

    await visit(page, "/outbox");
    await expectVisible(heading(page, "Outbox"), page.getByText("Every message the local provider received"));
    const row = page.getByRole("row", { name: /margaret@example\.com/ });
    await expectVisible(row);
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link").first().click();
    await page.waitForURL(/\/outbox\/[0-9a-f-]{36}$/);
    await expectVisible(heading(page, "Password reset"), page.getByRole("heading", { name: "HTML" }), page.getByRole("heading", { name: "Text" }), page.getByRole("heading", { name: "Headers" }));
    await expect(page.frameLocator("iframe.html-preview").getByText("Your order has shipped.").isVisible()).resolves.toBe(true);
    await expectNoHorizontalOverflow(page);
  });

  test("a filter that matches nothing says so, and offers to clear it", async ({ page }) => {
    await visit(page, "/outbox?to=nobody@example.com");
    await expectVisible(heading(page, "Outbox"));
    await expect(page.getByLabel("To").inputValue()).resolves.toBe("nobody@example.com");
    await expectVisible(page.getByText("Nothing in the outbox matches these filters."), page.getByRole("link", { name: "Clear" }));
  });
});
