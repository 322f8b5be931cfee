import { describe } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

/** A contact whose birthday is tomorrow wherever this test runs: the day after today in the workspace's zone (UTC). */
function tomorrowMonthDay(): string {
  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000);
  return `--${String(tomorrow.getUTCMonth() + 1).padStart(2, "0")}-${String(tomorrow.getUTCDate()).padStart(2, "0")}`;
}

describe("automations", () => {
  test("create a birthday automation → listed with tomorrow's recipients → pause → resume", async ({ page, workspace }) => {
    await workspace.api("POST", "/templates", { channel: "email", name: "Birthday wishes", subject: "Happy birthday", body: "<p>Happy birthday!</p>" });
    await workspace.api("POST", "/contacts", { email: "tomorrow@example.com", firstName: "Tessa", timezone: "Asia/Tokyo", birthday: tomorrowMonthDay() });
    await visit(page, "/automations");
    await expectVisible(heading(page, "Automations"), page.getByText("No automations yet: create one below or with POST /api/v1/date-automations."));

    const create = page.getByRole("form", { name: "New automation" });
    await create.getByLabel("Name").fill("Birthdays");
    await create.getByLabel("Local send time").fill("08:30");
    await create.getByRole("button", { name: "Create automation" }).click();
    await page.waitForURL(/notice=/);
    const row = page.getByRole("row", { name: /Birthdays/ });
    await expectVisible(page.getByText("Created Birthdays."), row.getByText("Birthday", { exact: true }), row.getByText("08:30"), row.getByText("active"), row.getByText("1 contact"));
    await expectNoHorizontalOverflow(page);

    await row.getByRole("link", { name: "Tomorrow's recipients of Birthdays" }).click();
    await page.waitForURL(/preview=/);
    const preview = page.getByRole("region", { name: "Tomorrow's recipients" });
    await expectVisible(preview.getByRole("row", { name: /Tessa.*Asia\/Tokyo.*08:30/ }));

    await row.getByRole("button", { name: "Pause Birthdays" }).click();
    await page.waitForURL(/notice=Paused/);
    await expectVisible(page.getByText("Paused Birthdays."), page.getByRole("row", { name: /Birthdays/ }).getByText("paused by the dashboard"));
    await page.getByRole("button", { name: "Resume Birthdays" }).click();
    await page.waitForURL(/notice=Resumed/);
    await expectVisible(page.getByText("Resumed Birthdays."), page.getByRole("row", { name: /Birthdays/ }).getByText("active"));
  });

  test("an unknown attribute key is refused with the reason", async ({ page, workspace }) => {
    await workspace.api("POST", "/templates", { channel: "sms", name: "Renewal", body: "Your renewal is today" });
    await visit(page, "/automations");
    const create = page.getByRole("form", { name: "New automation" });
    await create.getByLabel("Name").fill("Renewals");
    await create.getByRole("combobox", { name: /^Date/ }).selectOption("attribute");
    await create.getByLabel("Attribute key (for a date attribute)").fill("9 lives");
    await create.getByRole("button", { name: "Create automation" }).click();
    await page.waitForURL(/problem=/);
    await expectVisible(page.getByRole("alert").getByText(/Not created: dateField must be/));
  });
});
