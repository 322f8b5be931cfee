import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { messages } from "@/db/schema";
import { rowsOf } from "./rows-of";

/** Engagement of a campaign's messages; a click counts as an open even when the pixel never loaded. */
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

/** Aggregated from the messages rows themselves, so duplicate webhooks can never inflate a counter. */
export async function campaignEngagement(db: Db, params: { campaignId: string }): Promise<CampaignEngagement> {
  const result = await db.execute<Record<keyof CampaignEngagement, number>>(sql`
    select
      count(*) filter (where delivered_at is not null or status in ('delivered', 'opened', 'clicked'))::int as delivered,
      coalesce(sum(open_count), 0)::int as opened,
      count(*) filter (where opened_at is not null or clicked_at is not null)::int as "uniqueOpened",
      coalesce(sum(click_count), 0)::int as clicked,
      count(*) filter (where clicked_at is not null)::int as "uniqueClicked",
      count(*) filter (where bounced_at is not null)::int as bounced,
      count(*) filter (where complained_at is not null)::int as complained,
      count(*) filter (where unsubscribed_at is not null)::int as unsubscribed
    from ${messages} where campaign_id = ${params.campaignId}::uuid`);
  const row = rowsOf<Record<string, unknown>>(result)[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as CampaignEngagement;
}
