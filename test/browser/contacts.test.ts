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

  test("a contact's page shows its details, attributes, lists and preferences", async ({ page, workspace }) => {
    const contact = await workspace.api<{ id: string }>("POST", "/contacts", {
      email: "grace@hopper.example",
      firstName: "Grace",
      lastName: "Hopper",
      timezone: "America/New_York",
      attributes: { rank: "Rear Admiral" },
    });
    await createList(workspace.api, "Pioneers", [contact.id]);
    await workspace.api("POST", "/categories", { key: "billing", name: "Billing" });
    await workspace.api("PATCH", `/contacts/${contact.id}/preferences`, { preferences: [{ channel: "email", category: "billing", enabled: false }] });

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
      page.getByRole("heading", { name: "Preferences" }),
    );
    // The contact's own choice, where it differs from the default.
    const billing = page.getByRole("table", { name: "Preferences" }).getByRole("row", { name: /Billing/ });
    await expectVisible(billing.getByText("Off (contact's choice · api)"), billing.getByText("On (default)").first());
    await expectVisible(page.getByRole("heading", { name: "WhatsApp and push" }), page.getByText("not opted in: WhatsApp messages to this contact are refused"), page.getByText(/No push devices/));
    await expectNoHorizontalOverflow(page);
  });

  test("a contact's page shows its WhatsApp opt-in and push devices", async ({ page, workspace }) => {
    const contact = await workspace.api<{ id: string }>("POST", "/contacts", { email: "ada@example.com", phone: "+14155550177", firstName: "Ada" });
    await workspace.api("POST", `/contacts/${contact.id}/whatsapp-opt-in`, { source: "checkout-form" });
    // A P-256 public key (65 bytes, uncompressed) and a 16-byte auth secret, as a browser's PushSubscription gives them.
    const p256dh = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url");
    await workspace.api("POST", `/contacts/${contact.id}/push-subscriptions`, {
      type: "web_push",
      endpoint: "https://push.example.com/send/abc",
      keys: { p256dh, auth: Buffer.alloc(16, 1).toString("base64url") },
      label: "Ada's laptop",
    });
    await visit(page, `/contacts/${contact.id}`);
    const devices = page.getByRole("table", { name: "Push devices" });
    await expectVisible(page.getByText(/opted in .*\(checkout-form\)/), page.getByText("never opened: only template messages go out"), devices.getByRole("row", { name: /Ada's laptop/ }), devices.getByText("Web Push"));
  });
});
