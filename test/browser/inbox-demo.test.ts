import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

type Id = { id: string };

describe("inbox demo", () => {
  test("a notification posted to the API appears in the open inbox without a reload, and marking it read lowers the count", async ({ page, workspace }) => {
    const contact = await workspace.api<Id>("POST", "/contacts", { email: "ines@example.com", firstName: "Ines" });

    await visit(page, `/inbox-demo?contact=${contact.id}`);
    await expectVisible(heading(page, "Inbox demo"), page.getByRole("heading", { name: "ines@example.com" }), page.getByText("You are all caught up."));
    const bell = page.getByRole("button", { name: /^Notifications, \d+ unread$/ });
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications, 0 unread");
    // The stream is open before anything is sent, so what follows can only arrive through it.
    await expectVisible(page.getByRole("status").filter({ hasText: "live" }));

    await workspace.api("POST", "/notifications", {
      messageId: `browser-inbox-${Date.now()}`,
      channel: "in_app",
      contactId: contact.id,
      subject: "Your invoice is ready",
      body: "Invoice {{ number }} for {{ amount }}",
      data: { number: "INV-7", amount: "€42", actionUrl: "https://billing.example.com/invoices/7" },
    });
    const item = page.getByRole("listitem", { name: "Your invoice is ready" });
    await expectVisible(item, item.getByText("Invoice INV-7 for €42"), item.getByRole("link", { name: "Open" }));
    await expect.poll(() => bell.getAttribute("aria-label"), { timeout: 20_000 }).toBe("Notifications, 1 unread");
    await expect(item.getByRole("link", { name: "Open" }).getAttribute("href")).resolves.toBe("https://billing.example.com/invoices/7");

    await item.getByRole("button", { name: "Mark read" }).click();
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications, 0 unread");
    await expectVisible(item.getByRole("button", { name: "Mark unread" }));
    await expectNoHorizontalOverflow(page);
  });

  test("the page's own form sends a test notification that arrives live, and archive moves it to the archive", async ({ page, workspace }) => {
    const contact = await workspace.api<Id>("POST", "/contacts", { email: "omar@example.com", firstName: "Omar" });
    await visit(page, `/inbox-demo?contact=${contact.id}`);
    await expectVisible(page.getByText("You are all caught up."));

    await page.getByLabel("Title").fill("Deploy finished");
    await page.getByLabel("Body").fill("Build 118 is live.");
    await page.getByRole("button", { name: "Send" }).click();
    await expectVisible(page.getByText("Queued: it appears in the inbox as soon as it is delivered."));
    const item = page.getByRole("listitem", { name: "Deploy finished" });
    await expectVisible(item.getByText("Build 118 is live."));

    await item.getByRole("button", { name: "Archive" }).click();
    await expectVisible(page.getByText("You are all caught up."));
    await page.getByRole("navigation", { name: "Inbox views" }).getByRole("button", { name: "Archive" }).click();
    await expectVisible(page.getByRole("listitem", { name: "Deploy finished" }));
  });
});
