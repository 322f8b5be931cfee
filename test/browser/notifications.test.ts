import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { sendNotification } from "./support/seed";

describe("notifications", () => {
  test("the list shows each message with its status, and leads to its page", async ({ page, workspace }) => {
    const sent = await sendNotification(workspace.api, { to: "grace@example.com", subject: "Your invoice" });

    await visit(page, "/notifications");
    await expectVisible(heading(page, "Notifications"), page.getByText("Outbound messages, newest first."));
    const row = page.getByRole("row", { name: /grace@example\.com/ });
    await expectVisible(row, row.getByText("sent", { exact: true }), row.getByText("Your invoice"));
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link").click();
    await page.waitForURL(`**/notifications/${sent.id}`);
    await expectVisible(
      heading(page, "Your invoice"),
      page.getByRole("heading", { name: "Details" }),
      page.getByRole("heading", { name: "Timeline" }),
      page.getByRole("heading", { name: "Outbox copy" }),
      page.getByRole("link", { name: "Open in the outbox →" }),
    );
    // The copy the local provider stored, rendered in its sandboxed frame.
    await expect(page.frameLocator("iframe.html-preview").getByText("Your order has shipped.").textContent()).resolves.toContain("shipped");
    await expectNoHorizontalOverflow(page);
  });

  test("filtering by status keeps the choice and shows only matching messages", async ({ page, workspace }) => {
    await sendNotification(workspace.api, { to: "linus@example.com", subject: "Welcome" });

    await visit(page, "/notifications");
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/status=failed/);
    await expectVisible(page.getByText("No messages yet."));
    await expect(page.getByLabel("Status").inputValue()).resolves.toBe("failed");
  });
});
