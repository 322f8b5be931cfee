import { sql } from "drizzle-orm";
import { describe, inject } from "vitest";
import { openDatabase } from "@/db";
import { insertCampaign } from "@/db/queries/campaigns";
import { rowsOf } from "@/db/queries/rows-of";
import { analyzeFinishedCampaign } from "@/lib/analytics/analyze-finished-campaign";
import { guardCampaign } from "@/lib/analytics/guard-campaign";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { test } from "./support/dashboard-test";
import { expectNoHorizontalOverflow, expectVisible, heading, visit } from "./support/page-checks";

/**
 * A campaign the guard paused: its sent messages and a complaint are counted through the one
 * writer (recordEngagement), the guard pauses it, and its analysis is stored, as the functions
 * do. The dashboard shows the alert on every page and the analysis on the campaign's page.
 */
describe("campaign guard", () => {
  test("the workspace alert shows on the dashboard and leads to the campaign's analysis and pause", async ({ page, workspace }) => {
    const database = openDatabase({ url: inject("browserSuite").databaseUrl });
    let campaignId: string;
    try {
      const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId: workspace.id, size: 0, prefix: "guard" });
      const campaign = await insertCampaign(database.db, { workspaceId: workspace.id, name: "Spring sale", channel: "email", templateId, audience: { listId }, status: "sending", startedAt: new Date() });
      campaignId = campaign.id;
      const ids = rowsOf<{ id: string }>(
        await database.db.execute(sql`
          insert into messages (workspace_id, idempotency_key, kind, campaign_id, channel, recipient, status, sent_at)
          select ${workspace.id}::uuid, ${campaign.id} || ':' || i, 'campaign', ${campaign.id}::uuid, 'email', 'g' || i || '@example.com', 'sent', now()
          from generate_series(1, 20) as i returning id`),
      ).map((row) => row.id);
      await recordEngagement(database.db, [
        ...ids.map((messageId) => ({ messageId, type: "sent" as const, source: "send" as const, occurredAt: new Date(), dedupeKey: `sent:${messageId}` })),
        { messageId: ids[0]!, type: "complained", source: "resend", occurredAt: new Date(), dedupeKey: `complained:${ids[0]}` },
      ]);
      await guardCampaign(database.db, { workspaceId: workspace.id, campaignId }, { complaintRate: 0.003, hardBounceRate: 0.05, minSample: 20 }, { actor: "test" });
      await analyzeFinishedCampaign(database.db, { workspaceId: workspace.id, campaignId }, "finished");
    } finally {
      await database.close();
    }

    await visit(page, "/");
    const banner = page.getByRole("alert", { name: "Workspace alerts" });
    await expectVisible(banner, banner.getByText("Campaign “Spring sale” was paused automatically."), banner.getByText(/complaint rate 5\.0 % \(1 of 20 reached\) passed the 0\.30 % limit/));
    await banner.getByRole("link", { name: "Open the campaign" }).click();
    await page.waitForURL(`**/campaigns/${campaignId!}`);
    await expectVisible(heading(page, "Spring sale"), page.getByRole("heading", { name: "Performance analysis", level: 2 }));
    const panel = page.getByRole("region", { name: "Performance analysis" });
    await expectVisible(
      panel.getByText(/^No baseline yet: the workspace has 0 finished campaigns/),
      panel.getByText(/Paused by the guard .*complaint rate 5\.0 % \(1 of 20\) over 0\.30 %/),
      panel.getByRole("row", { name: /Complaint rate 5\.0 %/ }),
      panel.getByRole("row", { name: /Delivery rate/ }),
    );
    await expectNoHorizontalOverflow(page);
  });
});
