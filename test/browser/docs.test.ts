import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

describe("the API reference", () => {
  test("documents every endpoint, the objects, template variables and import columns, with a working table of contents", async ({ page }) => {
    await visit(page, "/docs");
    await expectVisible(
      heading(page, "API reference"),
      page.getByRole("link", { name: "/api/v1/openapi.json" }),
      page.getByRole("heading", { level: 2, name: "Objects" }),
      page.getByRole("heading", { level: 2, name: "Template variables" }),
      page.getByRole("heading", { level: 2, name: "Import columns" }),
    );
    // The operations come from the OpenAPI document the API serves: one heading per operation.
    const document = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
    await expect(page.locator(".reference-operation").count()).resolves.toBe(operations);

    const contents = page.getByRole("navigation", { name: "Contents" });
    await contents.getByRole("link", { name: "Import columns" }).click();
    await page.waitForURL(/#import-columns$/);
    await expect(page.getByRole("heading", { level: 2, name: "Import columns" }).isVisible()).resolves.toBe(true);
    await expectNoHorizontalOverflow(page);
  });
});
