import { randomUUID } from "node:crypto";
import { and, eq, isNotNull } from "drizzle-orm";
import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { campaignRecipients } from "@/db/schema";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { test } from "./support/dashboard-test";
import { expectVisible, visit } from "./support/page-checks";
import { createContacts, createEmailTemplate, createList } from "./support/seed";

type AbResult = { state: string; winner: { variant: string; decidedBy: string; pValue: number } | null };

describe("an A/B campaign", () => {
  test("an A/B campaign picks its winner: the variants' live results, then the winner with its significance", { timeout: 180_000 }, async ({ page, workspace }) => {
    const contactIds = await createContacts(workspace.api, 8, { domain: "ab-test.example.com" });
    const listId = await createList(workspace.api, "A/B audience", contactIds);
    const templateId = await createEmailTemplate(workspace.api, "A/B template");
    const { id } = await workspace.api<{ id: string }>("POST", "/campaigns", {
      name: "Spring offer",
      channel: "email",
      templateId,
      audience: { listId },
      abTest: { variants: [{ subject: "Offer A" }, { subject: "Offer B" }], testPercent: 50, windowMinutes: 240, metric: "opens" },
    });

    await visit(page, `/campaigns/${id}`);
    const variants = page.getByRole("table", { name: "Variants" });
    await expectVisible(page.getByRole("heading", { name: "A/B test" }), variants.getByRole("row", { name: /Offer A/ }), variants.getByRole("row", { name: /Offer B/ }));
    await expectVisible(page.getByText("The test starts when the campaign is sent."));

    // Sent: half the audience, two per variant; the page refreshes itself while it sends.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Send now" }).click();
    await expect
      .poll(async () => (await workspace.api<{ abTest: { variants: { sent: number }[] } }>("GET", `/campaigns/${id}`)).abTest.variants.map((v) => v.sent), { timeout: 60_000, interval: 250 })
      .toEqual([2, 2]);

    // Both of B's recipients open it, a minute after it went out (sooner would be a machine's prefetch).
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    try {
      const opened = await database.db
        .select({ messageId: campaignRecipients.messageId })
        .from(campaignRecipients)
        .where(and(eq(campaignRecipients.campaignId, id), eq(campaignRecipients.variant, 1), isNotNull(campaignRecipients.messageId)));
      const at = new Date(Date.now() + 60_000);
      await recordEngagement(database.db, opened.map((row) => ({ messageId: row.messageId!, type: "opened" as const, source: "pixel" as const, occurredAt: at, dedupeKey: randomUUID() })));
    } finally {
      await database.close();
    }

    await visit(page, `/campaigns/${id}`);
    await expectVisible(page.getByText(/Ahead now: variant B/));
    await expect(variants.getByRole("row", { name: /Offer B/ }).locator("td.num").allTextContents()).resolves.toEqual(["2", "2", "100.0 %"]);

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Pick winner now" }).click();
    // Picked: the page draws itself again with the winner in place of the button.
    await expectVisible(page.locator('[data-ab-winner="B"]'));

    // The rest get B; the page shows the winner and its significance.
    await expect.poll(async () => (await workspace.api<{ status: string }>("GET", `/campaigns/${id}`)).status, { timeout: 60_000, interval: 250 }).toBe("sent");
    const result = await workspace.api<AbResult>("GET", `/campaigns/${id}/ab-test`);
    expect(result).toMatchObject({ state: "decided", winner: { variant: "B", decidedBy: "manual" } });
    await visit(page, `/campaigns/${id}`);
    await expectVisible(page.locator('[data-ab-winner="B"]'), page.getByText(/Winner: variant B/), page.getByText(/picked by hand/));
    await expectVisible(page.getByText(new RegExp(`p = ${result.winner!.pValue.toFixed(3)}`)));
    await expect(page.getByRole("button", { name: "Pick winner now" }).count()).resolves.toBe(0);
  });

  test("a send-time test shows each variant's time, and offers no early pick while a variant is still to go", { timeout: 120_000 }, async ({ page, workspace }) => {
    const contactIds = await createContacts(workspace.api, 4, { domain: "ab-send-time.example.com" });
    const listId = await createList(workspace.api, "Send-time audience", contactIds);
    const templateId = await createEmailTemplate(workspace.api, "Send-time template");
    const { id } = await workspace.api<{ id: string }>("POST", "/campaigns", {
      name: "Morning or afternoon",
      channel: "email",
      templateId,
      audience: { listId },
      abTest: { variants: [{ sendDelayMinutes: 0 }, { sendDelayMinutes: 240 }], testPercent: 50, windowMinutes: 60, metric: "opens" },
    });
    await visit(page, `/campaigns/${id}`);
    const variants = page.getByRole("table", { name: "Variants" });
    await expectVisible(variants.getByRole("row", { name: /Sent at the start/ }), variants.getByRole("row", { name: /Sent 240 min after the start/ }));

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Send now" }).click();
    await expect
      .poll(async () => (await workspace.api<{ abTest: { variants: { sent: number }[] } }>("GET", `/campaigns/${id}`)).abTest.variants.map((v) => v.sent), { timeout: 60_000, interval: 250 })
      .toEqual([1, 0]);
    await visit(page, `/campaigns/${id}`);
    // B's time is shown as a clock time once sending started; A's sample went, B's waits.
    await expectVisible(variants.getByRole("row", { name: /Sent 240 min after the start \(\d\d:\d\d UTC\)/ }));
    await expect(page.getByRole("button", { name: "Pick winner now" }).count()).resolves.toBe(0);
  });
});
