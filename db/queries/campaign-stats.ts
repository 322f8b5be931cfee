import type { Db } from "@/db";
import { campaignTotals } from "./campaign-stats-hourly";

/**
 * Engagement of a campaign's messages, as the analytics report it: `opened`/`clicked` count
 * every human open/click, `uniqueOpened`/`uniqueClicked` the messages a person opened/clicked
 * (a click proves an open the pixel missed); machine opens and clicks are in none of them.
 */
export type CampaignEngagement = {
  delivered: number;
  opened: number;
  uniqueOpened: number;
  clicked: number;
  uniqueClicked: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
};

/**
 * Read from the campaign's hourly rollup (kept from the engagement stream in the transaction
 * that appends, deduplicated by key), so the campaign page, its API and its analytics show the
 * same numbers; a duplicate webhook never counts twice.
 */
export async function campaignEngagement(db: Db, params: { workspaceId: string; campaignId: string }): Promise<CampaignEngagement> {
  const totals = await campaignTotals(db, params);
  return {
    delivered: totals.delivered,
    opened: totals.opened,
    uniqueOpened: totals.uniqueOpened,
    clicked: totals.clicked,
    uniqueClicked: totals.uniqueClicked,
    bounced: totals.bounced,
    complained: totals.complained,
    unsubscribed: totals.unsubscribed,
  };
}
