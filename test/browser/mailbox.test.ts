import { describe, expect } from "vitest";
import { mbox } from "@/test/fixtures/mailbox/mail-fixtures";
import { test } from "./support/dashboard-test";
import { expectText, expectVisible, heading, progressOf, visit } from "./support/page-checks";
import { saveScreenshot } from "./support/screenshots";

const OWNER = "me@browser.example";
const at = (day: number) => new Date(Date.UTC(2024, 2, day, 9, 0, 0)).toUTCString();

/** Four messages: Ann writes (signed, with her phone), the owner answers and copies Bob, Bob writes, a newsletter. */
const takeout = () =>
  Buffer.from(
    mbox([
      {
        headers: { From: "Ann Lee <ann@acme.example>", To: `Me <${OWNER}>`, Subject: "Plan for Q3", Date: at(1), "Message-ID": "<q3-1@acme.example>" },
        body: "Shall we meet on Tuesday?\n\nBest regards,\nAnn Lee\nHead of Sales\nAcme Corp\n+1 415 555 0132\n",
      },
      {
        headers: {
          From: `Me <${OWNER}>`,
          To: "Ann Lee <ann@acme.example>",
          Cc: "Bob Stone <bob@stone.example>",
          Subject: "Re: Plan for Q3",
          Date: at(2),
          "Message-ID": "<q3-2@browser.example>",
          "In-Reply-To": "<q3-1@acme.example>",
          References: "<q3-1@acme.example>",
        },
        body: "Tuesday works; Bob joins us.\n",
      },
      {
        headers: { From: "Bob Stone <bob@stone.example>", To: OWNER, Subject: "Looking forward", Date: at(3), "Message-ID": "<hello-1@stone.example>" },
        body: "See you on Tuesday.\n",
      },
      {
        headers: {
          From: "Weekly News <news@letters.example.com>",
          To: OWNER,
          Subject: "This week in letters",
          Date: at(4),
          "Message-ID": "<week-1@letters.example.com>",
          "List-Unsubscribe": "<mailto:unsubscribe@letters.example.com>",
        },
        body: "The news.\n",
      },
    ]),
    "latin1",
  );

describe("importing a mailbox through the dashboard", () => {
  test("an uploaded .mbox is read to the end, its people listed with where each value came from, and the contact page lists the mail", async ({ page }) => {
    await visit(page, "/mailbox");
    await expectVisible(heading(page, /Mailbox/), page.getByText("No mailbox imported yet."), page.getByText("No contacts extracted yet."));

    await page.getByLabel("Mailbox export (.mbox, .eml or .zip of .eml)").setInputFiles({ name: "takeout.mbox", mimeType: "application/mbox", buffer: takeout() });
    await page.getByLabel("Your addresses (comma separated)").fill(OWNER);
    await page.getByRole("button", { name: "Upload and import" }).click();

    // The page refreshes itself while the import runs; the connection's bar reaches the end.
    const row = page.getByRole("row", { name: /takeout\.mbox/ });
    await expectVisible(row);
    const bar = row.getByRole("progressbar", { name: /Mailbox import progress/ });
    await expect.poll(() => progressOf(bar), { timeout: 45_000, interval: 200 }).toBe(100);
    await expectText(row.locator(".badge"), "done");
    await expectText(row.locator(".progress-text"), "100% · done");
    // Messages stored, skipped, contacts created / updated.
    const cells = row.locator("td.num");
    await expect.poll(() => cells.allTextContents()).toEqual(["4", "0", "2 / 0"]);

    const people = page.getByRole("region", { name: "Extracted contacts" });
    const ann = people.getByRole("row", { name: /ann@acme\.example/ });
    await expectVisible(ann.getByRole("link", { name: "Ann Lee" }));
    const annValues = (await ann.locator("li").allTextContents()).map((text) => text.replace(/, first seen .*$/, "").replace(/\s+/g, " ").trim());
    expect(annValues).toEqual([
      "Company: Acme Corp from the signature",
      "Email: ann@acme.example from the headers",
      "First name: Ann from the headers",
      "Last name: Lee from the headers",
      "Phone: +14155550132 from the signature",
      "Title: Head of Sales from the signature",
    ]);
    const bob = people.getByRole("row", { name: /bob@stone\.example/ });
    const bobValues = (await bob.locator("li").allTextContents()).map((text) => text.replace(/, first seen .*$/, "").replace(/\s+/g, " ").trim());
    expect(bobValues).toEqual(["Email: bob@stone.example from the headers", "First name: Bob from the headers", "Last name: Stone from the headers"]);
    // The newsletter (List-Unsubscribe) and the owner are not people to extract.
    await expect(people.getByText(/letters\.example\.com/).count()).resolves.toBe(0);
    await expect(people.getByText(OWNER).count()).resolves.toBe(0);
    await expect(people.locator("tbody tr").count()).resolves.toBe(2);
    await saveScreenshot(page, "mailbox", "mailbox page after the import");

    await ann.getByRole("link", { name: "Ann Lee" }).click();
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}/);
    const mailbox = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Mailbox", exact: true }) });
    await expectVisible(mailbox);
    const messages = mailbox.locator("tbody tr");
    await expect(messages.count()).resolves.toBe(2);
    const subjects = await mailbox.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(subjects.sort()).toEqual(["Plan for Q3", "Re: Plan for Q3"]);
    const directions = await mailbox.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(directions.sort()).toEqual(["received", "sent"]);
    await expectVisible(mailbox.getByText("Shall we meet on Tuesday?"));
  });
});
