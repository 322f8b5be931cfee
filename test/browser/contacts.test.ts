import { describe, expect } from "vitest";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { createList } from "./support/seed";

describe("contacts", () => {
  test("the list shows contacts newest first and filters them by email", async ({ page, workspace }) => {
    await workspace.api("POST", "/contacts", { email: "ada@lovelace.example", firstName: "Ada", lastName: "Lovelace" });
    await workspace.api("POST", "/contacts", { email: "charles@babbage.example", firstName: "Charles", lastName: "Babbage" });

    await visit(page, "/contacts");
    await expectVisible(heading(page, "Contacts"), page.getByRole("link", { name: "Import contacts →" }));
    await expectVisible(page.getByRole("row", { name: /ada@lovelace\.example/ }), page.getByRole("row", { name: /charles@babbage\.example/ }));
    await expectNoHorizontalOverflow(page);

    await page.getByLabel("Email").fill("ada@lovelace.example");
    await page.getByLabel("Email").press("Enter");
    await page.waitForURL(/email=ada%40lovelace\.example/);
    await expectVisible(page.getByRole("row", { name: /ada@lovelace\.example/ }));
    await expect(page.getByRole("row", { name: /charles@babbage\.example/ }).count()).resolves.toBe(0);
  });

  test("a contact's page shows its details, attributes and lists", async ({ page, workspace }) => {
    const contact = await workspace.api<{ id: string }>("POST", "/contacts", {
      email: "grace@hopper.example",
      firstName: "Grace",
      lastName: "Hopper",
      timezone: "America/New_York",
      attributes: { rank: "Rear Admiral" },
    });
    await createList(workspace.api, "Pioneers", [contact.id]);

    await visit(page, "/contacts");
    await page.getByRole("row", { name: /grace@hopper\.example/ }).getByRole("link").first().click();
    await page.waitForURL(`**/contacts/${contact.id}`);
    await expectVisible(
      heading(page, "Grace Hopper"),
      page.getByRole("heading", { name: "Details" }),
      page.getByText("America/New_York"),
      page.getByRole("heading", { name: "Attributes" }),
      page.getByRole("rowheader", { name: "rank" }),
      page.getByText("Rear Admiral"),
      page.getByRole("heading", { name: "Lists" }),
      page.getByRole("link", { name: "Pioneers" }),
      page.getByRole("heading", { name: "Recent messages" }),
    );
    await expectNoHorizontalOverflow(page);
  });
});
