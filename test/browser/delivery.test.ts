import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

type Digest = { id: string; contactId: string; status: string; messageId: string | null };

describe("delivery rules", () => {
  test("show each category's digest window and cap and the digests gathering; quiet hours are set here", async ({ page, workspace }) => {
    const { api } = workspace;
    await visit(page, "/delivery");
    await expectVisible(heading(page, "Delivery rules"), page.getByText("No notification categories yet."), page.getByText("No digest is gathering notifications."));

    const form = page.getByRole("form", { name: "Quiet hours" });
    await form.getByLabel("Start (local time)").fill("21:00");
    await form.getByLabel(/^End/).fill("08:00");
    await form.getByLabel("Time zone").fill("Mars/Olympus");
    await form.getByRole("button", { name: "Save quiet hours" }).click();
    await page.waitForURL(/problem=/);
    await expectVisible(page.getByRole("alert").getByText(/Not saved: Time zone must be an IANA time zone/));
    await form.getByLabel("Start (local time)").fill("21:00");
    await form.getByLabel(/^End/).fill("08:00");
    await form.getByLabel("Time zone").fill("Europe/Berlin");
    await form.getByRole("button", { name: "Save quiet hours" }).click();
    await page.waitForURL(/notice=/);
    await expectVisible(page.getByText("Saved: quiet hours 21:00–08:00 (Europe/Berlin for contacts without a zone)."), page.getByText("21:00–08:00", { exact: true }));
    await expect.poll(async () => (await api<{ quietHours: unknown }>("GET", "/delivery-settings")).quietHours).toMatchObject({ start: expect.stringMatching(/^21:00/) });

    await api("POST", "/categories", { key: "activity", name: "Activity", urgent: true });
    await api("PATCH", "/delivery-settings/categories/activity", { digestWindowSeconds: 86_400, cap: { limit: 3, periodSeconds: 86_400 } });
    const contacts = await Promise.all(["dee", "eve"].map((name) => api<{ id: string }>("POST", "/contacts", { email: `${name}@example.com`, firstName: name })));
    for (const [n, contact] of [contacts[0], contacts[0], contacts[1]].entries()) {
      await api("POST", "/notifications", { messageId: `browser-digest-${n}-${Date.now()}`, channel: "email", contactId: contact!.id, category: "activity", subject: "Activity", body: "<p>{{ digest.count }} updates</p>" });
    }

    await visit(page, "/delivery");
    const category = page.getByRole("row", { name: /activity/ });
    const first = page.getByRole("row", { name: new RegExp(contacts[0]!.id) });
    const second = page.getByRole("row", { name: new RegExp(contacts[1]!.id) });
    await expectVisible(
      page.getByText("Europe/Berlin"),
      category.getByText("3 per day per channel"),
      category.getByRole("cell", { name: "day", exact: true }),
      first.getByRole("cell", { name: "2", exact: true }),
      second.getByRole("cell", { name: "1", exact: true }),
    );
    await expectNoHorizontalOverflow(page);

    // Send one now: it leaves the list and becomes one message; cancel the other.
    const pending = (await api<{ data: Digest[] }>("GET", "/digests")).data;
    const sending = pending.find((digest) => digest.contactId === contacts[0]!.id)!;
    await first.getByRole("button", { name: "Send now" }).click();
    await page.waitForURL(/notice=/);
    await expectVisible(page.getByText("Sending the digest now."));
    await expect.poll(async () => (await api<Digest>("GET", `/digests/${sending.id}`)).messageId, { timeout: 20_000, interval: 250 }).not.toBeNull();
    const { messageId } = await api<Digest>("GET", `/digests/${sending.id}`);
    await expect.poll(async () => (await api<{ status: string }>("GET", `/messages/${messageId}`)).status, { timeout: 20_000, interval: 250 }).toBe("sent");
    await page.getByRole("row", { name: new RegExp(contacts[1]!.id) }).getByRole("button", { name: "Cancel" }).click();
    await page.waitForURL(/notice=Cancelled/);
    await expectVisible(page.getByText("Cancelled the digest: its notifications will not be sent."), page.getByText("No digest is gathering notifications."));
  });
});
