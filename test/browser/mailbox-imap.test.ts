import { afterAll, beforeAll, describe, expect } from "vitest";
import { eml } from "@/test/fixtures/mailbox/mail-fixtures";
import { type Dovecot, dovecotAvailability, startDovecot } from "@/test/support/dovecot";
import { test } from "./support/dashboard-test";
import { expectVisible, progressOf, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";

const OWNER = "me@imap-browser.example";
const availability = dovecotAvailability();
let dovecot: Dovecot;

beforeAll(async () => {
  if (!availability.available) return;
  dovecot = await startDovecot();
  const now = Date.now();
  dovecot.deliver(
    "INBOX",
    ["Ann Lee <ann@acme.example>", "Bob Stone <bob@stone.example>", "Cleo Dahl <cleo@dahl.example>"].map((from, n) => ({
      raw: eml({ headers: { From: from, To: OWNER, Subject: `Hello ${n}`, Date: new Date(now - (n + 1) * 3_600_000).toUTCString(), "Message-ID": `<imap-browser-${n}@example.com>` }, body: "Hi!\n" }),
      receivedAt: new Date(now - (n + 1) * 3_600_000),
    })),
  );
});
afterAll(async () => {
  await dovecot?.stop();
});

describe.skipIf(!availability.available)("connecting an IMAP mailbox through the dashboard", () => {
  test("a refused password shows beside the field; the right one connects, and the mailbox syncs its history", async ({ page }) => {
    await visit(page, "/mailbox");
    const form = page.getByRole("form", { name: "Connect an IMAP mailbox" });
    await form.getByLabel("IMAP server").fill(dovecot.host);
    await form.getByLabel("Port").fill(String(dovecot.port));
    await form.getByLabel("TLS").uncheck();
    await form.getByLabel("User name").fill(dovecot.user);
    await form.getByLabel("Password").fill("not-the-password");
    await form.getByLabel("Your email addresses (comma separated)").fill(OWNER);
    await form.getByRole("button", { name: "Connect" }).click();
    await expectVisible(form.locator("#imap-password-error").getByText(/The server refused the login/));

    await form.getByLabel("Password").fill(dovecot.password);
    await form.getByRole("button", { name: "Connect" }).click();
    const row = page.getByRole("row", { name: new RegExp(`${dovecot.user}@${dovecot.host.replaceAll(".", "\\.")}`) });
    await expectVisible(row, row.getByText("IMAP INBOX, Sent"));
    const bar = row.getByRole("progressbar", { name: /Mailbox sync progress/ });
    await expect.poll(() => progressOf(bar), { timeout: 45_000, interval: 200 }).toBe(100);
    await expect.poll(() => row.locator("td.num").allTextContents()).toEqual(["3", "0", "3 / 0"]);
    await expectVisible(row.getByRole("button", { name: "Sync now" }));
    await saveScreenshot(page, "mailbox-imap", "mailbox page after an IMAP mailbox synced");
  });
});
