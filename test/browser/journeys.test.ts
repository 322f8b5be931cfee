import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { createContacts, createEmailTemplate } from "./support/seed";

describe("journeys", () => {
  test("without journeys, says how to make one", async ({ page }) => {
    await visit(page, "/journeys");
    await expectVisible(heading(page, "Journeys"), page.getByText("No journeys yet: create one with POST /api/v1/journeys."));
  });

  test("publishes a draft, pauses and resumes it, and shows its steps' counts and an enrollment's timeline", async ({ page, workspace }) => {
    const templateId = await createEmailTemplate(workspace.api, "Journey welcome");
    const [contactId] = await createContacts(workspace.api, 1, { domain: "journeys.example" });
    const journey = await workspace.api<{ id: string }>("POST", "/journeys", {
      name: "Welcome series",
      draft: {
        trigger: { type: "event", eventName: "signup" },
        start: "welcome",
        nodes: [
          { id: "welcome", type: "send", channel: "email", templateId, next: "done" },
          { id: "done", type: "exit" },
        ],
      },
    });

    await visit(page, "/journeys");
    const row = page.getByRole("row", { name: /Welcome series/ });
    await expectVisible(heading(page, "Journeys"), row);
    await expectNoHorizontalOverflow(page);
    await row.getByRole("link", { name: "Welcome series" }).click();
    await page.waitForURL(new RegExp(`/journeys/${journey.id}`));
    await expectVisible(heading(page, "Welcome series"), page.getByText("Not published yet: publish the draft to see its steps."));

    await page.getByRole("button", { name: "Publish draft" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: "Published version 1" }), page.getByRole("table", { name: "Steps" }));
    await expect(page.getByRole("table", { name: "Steps" }).getByRole("row").count()).resolves.toBe(3);

    await page.getByRole("button", { name: "Pause" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: "Paused" }), page.getByRole("button", { name: "Resume" }));
    await page.getByRole("button", { name: "Resume" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: "Resumed." }), page.getByRole("button", { name: "Pause" }));

    const enrollment = await workspace.api<{ id: string }>("POST", `/journeys/${journey.id}/enrollments`, { contactId });
    // The run goes through the engine: wait until it has ended, then read the page.
    for (let attempt = 0; attempt < 100; attempt++) {
      const current = await workspace.api<{ status: string }>("GET", `/journeys/${journey.id}/enrollments/${enrollment.id}`);
      if (current.status !== "active") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await visit(page, `/journeys/${journey.id}`);
    const welcome = page.getByRole("table", { name: "Steps" }).getByRole("row", { name: /Send email/ });
    await expect(welcome.locator("td.num").allTextContents()).resolves.toEqual(["1", "0", "1", "0"]);
    await page.getByRole("table", { name: "Enrollments" }).getByRole("link", { name: "Timeline" }).click();
    await page.waitForURL(/\/enrollments\//);
    await expectVisible(heading(page, "Timeline in Welcome series"), page.getByRole("table", { name: "Timeline" }));
    await expect(page.getByRole("table", { name: "Timeline" }).getByRole("row").count()).resolves.toBe(5);
  });

  test("shows a date trigger and a segment trigger with the members it last saw", async ({ page, workspace }) => {
    const exitOnly = { start: "done", nodes: [{ id: "done", type: "exit" }] };
    const birthday = await workspace.api<{ id: string }>("POST", "/journeys", { name: "Birthday journey", draft: { trigger: { type: "date", dateField: "birthday", hour: 9 }, ...exitOnly } });
    await workspace.api("POST", `/journeys/${birthday.id}/publish`, {});
    await visit(page, `/journeys/${birthday.id}`);
    await expectVisible(heading(page, "Birthday journey"), page.getByText("birthday at 09:00 local time, once a year"));

    await createContacts(workspace.api, 2, { domain: "pro-segment.example" });
    const segment = await workspace.api<{ id: string }>("POST", "/segments", { name: "Pro segment", filter: { field: "email", op: "ends_with", value: "@pro-segment.example" } });
    const entering = await workspace.api<{ id: string }>("POST", "/journeys", { name: "Entering journey", draft: { trigger: { type: "segment", segmentId: segment.id }, ...exitOnly } });
    await visit(page, `/journeys/${entering.id}`);
    await page.getByRole("button", { name: "Publish draft" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: "Published version 1" }), page.getByText(`entering segment ${segment.id}`), page.getByText("Segment members last seen"));
    await expectNoHorizontalOverflow(page);
  });
});
