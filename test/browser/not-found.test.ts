import { randomUUID } from "node:crypto";
import { describe } from "vitest";
import { test } from "./support/dashboard-test";
import { expectVisible, heading, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";

// Chromium logs the 404 of the document itself as a console error; that one is the point here.
const DOCUMENT_404 = /Failed to load resource: the server responded with a status of 404/;

describe("not found", () => {
  test("an unknown address answers 404 with a way back", async ({ page, problems }) => {
    problems.allow(DOCUMENT_404);
    await visit(page, "/no-such-page", 404);
    await expectVisible(heading(page, "Not found"));
    await saveScreenshot(page, "not-found", "unknown address");
    await page.getByRole("link", { name: "Go to the dashboard" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expectVisible(heading(page, "Overview"));
  });

  test.for(["campaigns", "contacts", "imports", "notifications", "outbox"])("an unknown id under /%s answers 404 inside the dashboard", async (section, { page, problems }) => {
    problems.allow(DOCUMENT_404);
    await visit(page, `/${section}/${randomUUID()}`, 404);
    await expectVisible(heading(page, "Not found"), page.getByText("Nothing with that id in this workspace."), page.getByRole("navigation", { name: "Main" }));
    await saveScreenshot(page, "not-found", `unknown ${section} id`);
    await page.getByRole("main").getByRole("link", { name: "Overview" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expectVisible(heading(page, "Overview"));
  });
});
