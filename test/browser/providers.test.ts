import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectVisible, heading, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";

describe("providers", () => {
  test("lists each channel's providers with their circuit breakers", async ({ page }) => {
    await visit(page, "/providers");
    const section = (name: string) => page.getByRole("heading", { level: 2, name });
    await expectVisible(heading(page, "Providers"), section("Email"), section("SMS"), section("WhatsApp"), section("Push"), page.getByRole("columnheader", { name: "Circuit breaker" }).first());
    // One table per channel that calls a provider (the in-app inbox is Sendline's own), each with its breaker.
    expect(await page.getByRole("columnheader", { name: "Circuit breaker" }).count()).toBe(4);
    await expectVisible(page.getByRole("cell", { name: "closed" }).first());
    await saveScreenshot(page, "providers", "breakers");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Providers" }).click();
    await page.waitForURL((url) => url.pathname === "/providers");
  });
});
