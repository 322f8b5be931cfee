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

  test("shows an A/B send step's variants and results, and picks its winner by hand", { timeout: 120_000 }, async ({ page, workspace }) => {
    const templateId = await createEmailTemplate(workspace.api, "A/B welcome");
    const contactIds = await createContacts(workspace.api, 4, { domain: "journey-ab.example" });
    const journey = await workspace.api<{ id: string }>("POST", "/journeys", {
      name: "A/B welcome",
      draft: {
        trigger: { type: "event", eventName: "signup" },
        start: "welcome",
        nodes: [
          { id: "welcome", type: "send", channel: "email", templateId, abTest: { metric: "opens", sampleSize: 100, windowHours: 24, variants: [{ subject: "Hello A" }, { subject: "Hello B" }] }, next: "done" },
          { id: "done", type: "exit" },
        ],
      },
    });
    await workspace.api("POST", `/journeys/${journey.id}/publish`, {});
    await visit(page, `/journeys/${journey.id}`);
    const section = page.getByRole("region", { name: "A/B test of welcome" });
    await expectVisible(page.getByRole("heading", { name: "A/B tests" }), section, page.getByText("The test starts when the first enrollment reaches the step."));

    for (const contactId of contactIds) await workspace.api("POST", `/journeys/${journey.id}/enrollments`, { contactId });
    // The runs and the sends go through the engine: wait until the four messages have left.
    type AbSteps = { steps: { variants: { sent: number }[]; winner: { variant: string; decidedBy: string } | null }[] };
    let results: AbSteps | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      results = await workspace.api<AbSteps>("GET", `/journeys/${journey.id}/versions/1/ab-tests`);
      if (results.steps[0]!.variants.reduce((sum, variant) => sum + variant.sent, 0) === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await visit(page, `/journeys/${journey.id}`);
    const variants = section.getByRole("table", { name: "Variants of welcome" });
    await expectVisible(variants.getByRole("row", { name: /subject “Hello A”/ }), variants.getByRole("row", { name: /subject “Hello B”/ }), section.getByText(/Ahead now: variant A — p = 1\.000/));
    const sent = await variants.locator("tbody tr td.num:nth-of-type(2)").allTextContents();
    expect(sent.map(Number).reduce((sum, n) => sum + n, 0)).toBe(4);
    await expectNoHorizontalOverflow(page);

    await section.getByRole("button", { name: "Pick winner now (variant A)" }).click();
    await expectVisible(page.getByRole("status").filter({ hasText: "Variant A is the winner of step welcome" }), page.locator('[data-ab-winner="A"]'), section.getByText(/picked by hand/));
    await expect(section.getByRole("button", { name: /Pick winner now/ }).count()).resolves.toBe(0);
    const after = await workspace.api<AbSteps>("GET", `/journeys/${journey.id}/versions/1/ab-tests`);
    expect(after.steps[0]!.winner).toMatchObject({ variant: "A", decidedBy: "manual" });
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
