import type { Page } from "playwright-core";
import { describe, expect, inject } from "vitest";
import { openDatabase } from "@/db";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";
import { createDraftCampaign } from "./support/seed";
import { engagementFact as fact, seedEngagement, seedMessage } from "@/test/support/engagement-seed";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOUR_MS = 3_600_000;

/** The values the chart drew for one series, read from its SVG dots in x order. */
async function plotted(page: Page, series: string): Promise<number[]> {
  const dots = page.locator(`.engagement-chart circle.chart-dot[data-series="${series}"]`);
  await expect.poll(() => dots.count(), { timeout: 15_000 }).toBeGreaterThan(0);
  return dots.evaluateAll((circles) =>
    circles.sort((a, b) => Number(a.getAttribute("data-index")) - Number(b.getAttribute("data-index"))).map((circle) => Number(circle.getAttribute("data-value"))),
  );
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe("analytics", () => {
  test("with no data yet, the Analytics page draws an empty chart and says so in every table", async ({ page }) => {
    await visit(page, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Analytics" }).click();
    await page.waitForURL("**/analytics");
    await expectVisible(heading(page, "Analytics"), page.getByText("No clicks yet."), page.getByText("No email sent yet."), page.getByText("No human opens or clicks in this range yet."));
    expect(await plotted(page, "delivered")).toEqual(Array.from({ length: 30 }, () => 0));
    await expectVisible(page.locator('tr[data-rate="openRate"]').getByText("—"));
    await expectNoHorizontalOverflow(page);
  });

  test("a campaign's engagement shows in the charts, funnel, tables and heat map, with machines apart", async ({ page, workspace }) => {
    const campaignId = await createDraftCampaign(workspace.api, "Analytics letter", 1);
    // Two days ago at 09:00 UTC (the workspace's zone is UTC until set), so the overview's last 30 days hold it.
    const base = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000 + 9 * HOUR_MS);
    const at = (ms: number) => new Date(base.getTime() + ms);
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    try {
      const db = database.db;
      const [a, b, c] = [
        await seedMessage(db, { workspaceId: workspace.id, campaignId, email: "ada@gmail.com", sentAt: base }),
        await seedMessage(db, { workspaceId: workspace.id, campaignId, email: "bob@gmail.com", sentAt: base }),
        await seedMessage(db, { workspaceId: workspace.id, campaignId, email: "cy@yahoo.com", sentAt: base }),
      ];
      await seedEngagement(db, [
        ...[a, b, c].map((message) => fact(message.id, "sent", at(0))),
        fact(a.id, "delivered", at(5_000)),
        fact(b.id, "delivered", at(5_000)),
        fact(c.id, "bounced", at(5_000), { bounceKind: "hard" }),
        // Apple's privacy proxy fetches the pixel on arrival; a scanner follows the link: machines.
        fact(a.id, "opened", at(6_000), { machine: "apple-privacy-proxy" }),
        fact(b.id, "clicked", at(7_000), { url: "https://shop.example.com/sale", machine: "security-scanner" }),
        fact(a.id, "opened", at(HOUR_MS + 60_000)),
        fact(b.id, "opened", at(HOUR_MS + 120_000)),
        fact(a.id, "clicked", at(2 * HOUR_MS + 60_000), { url: "https://shop.example.com/sale" }),
      ]);
    } finally {
      await database.close();
    }

    // The campaign page: hourly series, 09:00 → 11:00.
    await visit(page, `/campaigns/${campaignId}`);
    await expectVisible(heading(page, "Analytics letter"), page.getByRole("heading", { name: "Analytics", exact: true }));
    expect(await plotted(page, "sent")).toEqual([3, 0, 0]);
    expect(await plotted(page, "uniqueOpened")).toEqual([0, 2, 0]);
    expect(await plotted(page, "uniqueClicked")).toEqual([0, 0, 1]);
    // Machines are drawn on their own lines, and counted in no human one.
    expect(await plotted(page, "machineOpened")).toEqual([1, 0, 0]);
    expect(await plotted(page, "machineClicked")).toEqual([1, 0, 0]);
    await expectVisible(page.locator(".engagement-chart .recharts-legend-wrapper").getByText("Machine opens"));

    const openRate = page.locator('tr[data-rate="openRate"]');
    await expectVisible(openRate.getByText("100.0 %"), openRate.getByText("2 unique human opens"), openRate.getByText("2 reached a mailbox"));
    const clickToOpen = page.locator('tr[data-rate="clickToOpenRate"]');
    await expectVisible(clickToOpen.getByText("50.0 %"), clickToOpen.getByText("1 unique human clicks"), clickToOpen.getByText("2 unique human opens"));
    await expectVisible(page.locator('tr[data-rate="bounceRate"]').getByText("33.3 %"));
    await expect(page.locator(".machine-counts").textContent()).resolves.toContain("1 machine opens, 1 machine clicks");

    const link = page.getByRole("region", { name: "Top links" }).getByRole("row", { name: /shop\.example\.com\/sale/ });
    await expect(link.locator("td").allTextContents()).resolves.toEqual(["https://shop.example.com/sale", "1", "1", "1"]);
    const yahoo = page.getByRole("region", { name: "By recipient domain" }).getByRole("row", { name: /yahoo\.com/ });
    await expectVisible(yahoo.getByText("100.0 % (1/1)"));

    const day = DAYS[(base.getUTCDay() + 6) % 7]!;
    const tenOClock = page.getByRole("region", { name: "Best hours" }).getByLabel(`${day} 10:00: 2 opens, 0 clicks`);
    await expectVisible(tenOClock);
    expect(await page.getByRole("region", { name: "Best hours" }).getByLabel(`${day} 09:00: 0 opens, 0 clicks`).count()).toBe(1);

    const csvHref = await page.getByRole("link", { name: "links", exact: true }).getAttribute("href");
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain("https://shop.example.com/sale,1,1,1,");
    await expectNoHorizontalOverflow(page);

    // The workspace overview: the same events in the day they happened.
    await visit(page, "/analytics");
    const opened = await plotted(page, "uniqueOpened");
    expect(opened).toHaveLength(30);
    expect(opened.at(-3)).toBe(2);
    expect(sum(opened)).toBe(2);
    expect(sum(await plotted(page, "machineOpened"))).toBe(1);
    await expectVisible(page.locator('tr[data-rate="clickRate"]').getByText("50.0 %"), page.getByRole("region", { name: "Best hours" }).getByLabel(`${day} 10:00: 2 opens, 0 clicks`));
    await expectNoHorizontalOverflow(page);
  });
});
