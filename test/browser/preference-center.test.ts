import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

type Cell = { enabled: boolean; origin: string; changedBy: string | null };
type Matrix = { categories: { key: string; channels: Record<string, Cell> }[] };

describe("the preference center", () => {
  test("a message's link opens it: toggle, save, and a reload shows the choice; required topics are locked", async ({ page, workspace }) => {
    const { api } = workspace;
    await api("POST", "/categories", { key: "billing", name: "Billing", description: "Invoices and receipts" });
    await api("POST", "/categories", { key: "security", name: "Security", required: true });
    const contact = await api<{ id: string }>("POST", "/contacts", { email: "prefs@example.com", firstName: "Pat" });
    const sent = await api<{ id: string }>("POST", "/notifications", {
      messageId: `browser-preferences-${Date.now()}`,
      channel: "email",
      contactId: contact.id,
      subject: "Your receipt",
      body: '<p>Thanks.</p><p><a href="{{ preferences_url }}">Manage your preferences</a></p>',
      category: "billing",
    });
    await expect
      .poll(async () => (await api<{ status: string }>("GET", `/notifications/${sent.id}`)).status, { timeout: 20_000, interval: 200 })
      .toBe("sent");
    // The link as the recipient got it, in the email the local provider stored.
    const outbox = await api<{ data: { html: string }[] }>("GET", `/outbox?messageId=${sent.id}`);
    const link = /href="([^"]*\/p\/[^"]+)"/.exec(outbox.data[0]!.html)![1]!;

    await page.goto(link);
    await expectVisible(heading(page, "Your preferences"), page.getByText("Invoices and receipts"), page.getByText("(required: always sent)"));
    const billingEmail = page.getByRole("checkbox", { name: "Billing by Email" });
    const securityEmail = page.getByRole("checkbox", { name: "Security by Email" });
    await expect(billingEmail.isChecked()).resolves.toBe(true);
    await expect(securityEmail.isChecked()).resolves.toBe(true);
    await expect(securityEmail.isDisabled()).resolves.toBe(true);
    await expectNoHorizontalOverflow(page);

    await billingEmail.uncheck();
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.waitForURL(/\?saved=1$/);
    await expectVisible(page.getByRole("status").getByText("Your preferences are saved."));
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Billing by Email" }).isChecked()).resolves.toBe(false);
    await expect(page.getByRole("checkbox", { name: "Billing by Push" }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole("checkbox", { name: "Security by Email" }).isDisabled()).resolves.toBe(true);

    // The API reads the same choice, marked as the contact's own, made on the preference center.
    const matrix = await api<Matrix>("GET", `/contacts/${contact.id}/preferences`);
    expect(matrix.categories.find((c) => c.key === "billing")!.channels.email).toMatchObject({ enabled: false, origin: "contact_category", changedBy: "preference_center" });
  });

  test("a link that was tampered with says so", async ({ page, problems }) => {
    // Chromium logs the 404 of the document itself as a console error; that one is the point here.
    problems.allow(/Failed to load resource: the server responded with a status of 404/);
    await visit(page, "/p/not-a-real-token", 404);
    await expectVisible(heading(page, "This link is not valid"));
  });
});
