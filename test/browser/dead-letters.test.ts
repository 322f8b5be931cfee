import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { deadLetterMessages } from "@/db/queries/dead-letters";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { insertMessage } from "@/db/queries/messages";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

/**
 * A dead letter as a provider outage leaves one: a notification whose attempts all failed until
 * send-notification gave up. The suite's app sends through the outbox, which never fails, so the
 * outage is written to the database the way the failure handler writes it: the attempts, then
 * the dead-letter mark.
 */
describe("dead letters", () => {
  test("a dead letter shows with its last error and attempts, and leaves the list once retried", async ({ page, workspace }) => {
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    let id: string;
    try {
      ({ row: { id } } = await insertMessage(database.db, {
        workspaceId: workspace.id,
        idempotencyKey: `browser-dead-${Date.now()}`,
        channel: "email",
        recipient: "hedy@example.com",
        request: { subject: "Your receipt", body: "<p>Thanks.</p>", data: {} },
      }));
      await recordMessageAttempts(database.db, [1, 2, 3].map((attempt) => ({ workspaceId: workspace.id, messageId: id, provider: "resend", outcome: "failed" as const, error: "resend: Service unavailable (HTTP 503)", attempt })));
      await deadLetterMessages(database.db, { workspaceId: workspace.id, messageIds: [id], error: "Gave up after 3 failed attempts; the last: resend: Service unavailable (HTTP 503)" });
    } finally {
      await database.close();
    }

    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead letters" }).click();
    await page.waitForURL("**/dead-letters");
    await expectVisible(heading(page, "Dead letters"), page.getByText("1 dead letter match."), page.getByRole("link", { name: "Download CSV" }));
    const row = page.getByRole("row", { name: /hedy@example\.com/ });
    await expectVisible(row, row.getByText("Gave up after 3 failed attempts; the last: resend: Service unavailable (HTTP 503)"), row.getByRole("cell", { name: "3", exact: true }));
    await expectNoHorizontalOverflow(page);

    await row.getByRole("button", { name: "Retry" }).click();
    await expectVisible(page.getByText("0 dead letters match."), page.getByText("No dead letters."));

    // Queued again, the outbox provider sends it: once.
    await expect
      .poll(async () => (await workspace.api<{ status: string }>("GET", `/notifications/${id!}`)).status, { timeout: 20_000, interval: 200 })
      .toBe("sent");
    const outbox = await workspace.api<{ data: unknown[] }>("GET", `/outbox?messageId=${id!}`);
    expect(outbox.data).toHaveLength(1);
  });
});
