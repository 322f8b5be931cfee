import { describe } from "vitest";
import { test } from "./support/dashboard-test";
import { expectVisible, heading, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";

describe("providers", () => {
  test("lists each channel's providers with their circuit breakers", async ({ page }) => {
    await visit(page, "/providers");
    await expectVisible(heading(page, "Providers"), heading(page, "Email"), heading(page, "SMS"), page.getByRole("columnheader", { name: "Circuit breaker" }));
    await expectVisible(page.getByRole("cell", { name: "closed" }).first());
    await saveScreenshot(page, "providers", "breakers");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers" }).click();
    await page.waitForURL((url) => url.pathname === "/providers");
  });
});
