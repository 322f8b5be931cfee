import type { Locator, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, heading, visit } from "./support/page-checks";
import { createEmailTemplate } from "./support/seed";

type JourneyBody = { id: string; draftRevision: number; draft: { start: string | null; nodes: Record<string, unknown>[]; layout?: Record<string, unknown> } };

/** Drags from an exit's handle to a step's entry with the mouse, as a person connects two steps. */
async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  const [start, end] = [await from.boundingBox(), await to.boundingBox()];
  if (!start || !end) throw new Error("a handle is not on screen");
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
  await page.mouse.up();
}

const node = (page: Page, id: string) => page.getByTestId(`canvas-node-${id}`);
const saved = (page: Page) => expectText(page.getByTestId("save-status"), /Saved · revision [1-9]/);

describe("journey canvas", () => {
  test("build and publish a journey on the canvas", async ({ page, workspace }) => {
    const templateId = await createEmailTemplate(workspace.api, "Canvas welcome");
    const journey = await workspace.api<JourneyBody>("POST", "/journeys", { name: "Canvas onboarding" });

    await visit(page, `/journeys/${journey.id}`);
    await page.getByRole("link", { name: "Edit on the canvas" }).click();
    await page.waitForURL(new RegExp(`/journeys/${journey.id}/edit`));
    await expectVisible(heading(page, "Edit Canvas onboarding"), page.getByTestId("canvas-node-trigger"));
    const publish = page.getByRole("button", { name: "Publish", exact: true });
    await expect(publish.isDisabled()).resolves.toBe(true);

    // A send step from the palette: it becomes the first step and its settings open beside the canvas.
    await page.getByRole("complementary", { name: "Steps" }).getByRole("button", { name: "Send" }).click();
    await expectVisible(node(page, "send-1"), page.getByRole("group", { name: "Send · send-1" }));
    await page.getByLabel("Template").selectOption({ label: "Canvas welcome" });
    const preview = page.getByRole("region", { name: "Message preview" });
    await expectText(preview, /Subject: Hello Ada/);

    await page.getByRole("complementary", { name: "Steps" }).getByRole("button", { name: "Exit" }).click();
    await expectVisible(node(page, "exit-1"));
    // Not connected yet: the problem names the send step, which is marked on the canvas; clicking it selects it.
    const problems = page.getByRole("region", { name: "Problems" });
    await expectText(problems, /send-1: next: the next exit leads nowhere/);
    await expect(node(page, "send-1").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(publish.isDisabled()).resolves.toBe(true);
    await problems.getByRole("button", { name: "send-1" }).click();
    await expectVisible(page.getByRole("group", { name: "Send · send-1" }));

    await connect(page, node(page, "send-1").getByLabel("next exit"), node(page, "exit-1").getByLabel("entry"));
    await expectText(problems, /Ready to publish/);
    await expect(node(page, "send-1").getAttribute("aria-invalid")).resolves.toBeNull();

    // Undo takes the connection away, redo puts it back (buttons and keyboard).
    await page.getByRole("button", { name: "Undo" }).click();
    await expectText(problems, /send-1: next: the next exit leads nowhere/);
    await page.keyboard.press("Control+Shift+Z");
    await expectText(problems, /Ready to publish/);

    await saved(page);
    const draft = (await workspace.api<JourneyBody>("GET", `/journeys/${journey.id}`)).draft;
    expect(draft.start).toBe("send-1");
    expect(draft.nodes).toEqual([
      { id: "send-1", type: "send", channel: "email", templateId, next: "exit-1" },
      { id: "exit-1", type: "exit" },
    ]);
    expect(Object.keys(draft.layout ?? {}).sort()).toEqual(["exit-1", "send-1"]);

    await publish.click();
    await expectText(page.locator("p[role=status]").filter({ hasText: "Published" }), /Published version 1/);
    await expect(workspace.api<{ publishedVersion: number; status: string }>("GET", `/journeys/${journey.id}`)).resolves.toMatchObject({ publishedVersion: 1, status: "active" });

    // Opened again, the send step's preview is the one rendered when the draft was saved.
    await visit(page, `/journeys/${journey.id}/edit`);
    await node(page, "send-1").click();
    await expectText(page.getByRole("region", { name: "Message preview" }), /Subject: Hello Ada/);
    await expect(page.getByRole("region", { name: "Message preview" }).getAttribute("data-prerendered")).resolves.toBe("true");

    // The history lists the saves; restoring the first brings back the empty journey as a new revision.
    await page.getByRole("button", { name: "History" }).click();
    await page.getByRole("button", { name: "Restore revision 0" }).click();
    await expectVisible(page.getByText("a journey needs at least one step"));
    await expect(node(page, "send-1").count()).resolves.toBe(0);
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await workspace.api<JourneyBody>("GET", `/journeys/${journey.id}`)).draft.nodes.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await expect(workspace.api<JourneyBody>("GET", `/journeys/${journey.id}`)).resolves.toMatchObject({ draft: { nodes: [] } });
  });

  test("a send step's A/B test is edited in the side panel", async ({ page, workspace }) => {
    const templateId = await createEmailTemplate(workspace.api, "Canvas A/B");
    const journey = await workspace.api<JourneyBody>("POST", "/journeys", {
      name: "A/B on the canvas",
      draft: {
        trigger: { type: "event", eventName: "signup" },
        start: "welcome",
        nodes: [
          { id: "welcome", type: "send", channel: "email", templateId, next: "done" },
          { id: "done", type: "exit" },
        ],
      },
    });
    await visit(page, `/journeys/${journey.id}/edit`);
    await node(page, "welcome").click();
    await page.getByLabel("A/B test this send").check();
    const problems = page.getByRole("region", { name: "Problems" });
    // Two empty variants: each must change something, and the problem names the step and the variant.
    await expectText(problems, /welcome: abTest\.variants\.0: must change the template, the subject, the sender or the send time/);
    const test = page.getByRole("group", { name: "A/B test" });
    await test.getByRole("group", { name: "Variant A" }).getByLabel("Subject").fill("Hello A");
    await test.getByRole("group", { name: "Variant B" }).getByLabel("Subject").fill("Hello B");
    await test.getByRole("group", { name: "Variant B" }).getByLabel("Send after (minutes)").fill("60");
    await test.getByRole("button", { name: "Add variant" }).click();
    await test.getByRole("group", { name: "Variant C" }).getByLabel("From").fill("Growth <growth@example.com>");
    await test.getByLabel("Winner by").selectOption({ label: "A goal event" });
    await expectText(problems, /welcome: abTest\.goalEvent: name the goal event/);
    await test.getByLabel("Goal event", { exact: true }).fill("purchase");
    await test.getByLabel("Sample per variant").fill("50");
    await expectText(problems, /Ready to publish/);
    await saved(page);
    const draft = (await workspace.api<JourneyBody>("GET", `/journeys/${journey.id}`)).draft;
    expect(draft.nodes.find((step) => step.id === "welcome")).toMatchObject({
      abTest: {
        metric: "goal",
        goalEvent: "purchase",
        sampleSize: 50,
        windowHours: 24,
        variants: [{ subject: "Hello A" }, { subject: "Hello B", delayMinutes: 60 }, { from: "Growth <growth@example.com>" }],
      },
    });
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await expectText(page.locator("p[role=status]").filter({ hasText: "Published" }), /Published version 1/);
  });

  test("two pages edit the same journey and both see the other's change", async ({ page, signedIn, workspace }) => {
    const templateId = await createEmailTemplate(workspace.api, "Canvas shared");
    const journey = await workspace.api<JourneyBody>("POST", "/journeys", {
      name: "Shared journey",
      draft: {
        trigger: { type: "event", eventName: "signup" },
        start: "welcome",
        nodes: [
          { id: "welcome", type: "send", channel: "email", templateId, next: "pause" },
          { id: "pause", type: "wait", duration: { amount: 1, unit: "days" }, next: "done" },
          { id: "done", type: "exit" },
        ],
      },
    });
    const other = await signedIn.context.newPage();
    await visit(page, `/journeys/${journey.id}/edit`);
    await visit(other, `/journeys/${journey.id}/edit`);
    await expectVisible(node(page, "pause"), node(other, "pause"));

    // This page changes the wait; the other page shows it without reloading.
    await node(page, "pause").click();
    await page.getByLabel("Duration: amount").fill("3");
    await saved(page);
    await expectText(node(other, "pause"), /3 days/);

    // The other page changes the trigger (a different part of the journey): this page shows it too.
    await other.getByTestId("canvas-node-trigger").click();
    await other.getByLabel("Event name").fill("purchase");
    await expectText(page.getByTestId("canvas-node-trigger"), /event “purchase”/);
    await expectText(node(page, "pause"), /3 days/);

    const draft = await workspace.api<JourneyBody & { draft: { trigger: unknown } }>("GET", `/journeys/${journey.id}`);
    expect(draft.draft.trigger).toEqual({ type: "event", eventName: "purchase" });
    expect(draft.draft.nodes.find((step) => step.id === "pause")).toMatchObject({ duration: { amount: 3, unit: "days" } });
    await other.close();
  });
});
