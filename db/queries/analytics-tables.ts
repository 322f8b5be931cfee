import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { addTotals, emptyTotals, type EngagementTotals } from "@/core/analytics/engagement";
import { rowsOf } from "./rows-of";

export type LinkRow = { url: string; clicked: number; uniqueClicked: number; machineClicked: number; lastClickedAt: Date | null };

/**
 * top-links: the most clicked links by unique human clicks, then human clicks, of one campaign or
 * (campaignId null) of the whole workspace, campaigns and transactional messages together. The
 * rollup keeps links for all time: no date range.
 */
export async function topLinks(db: Db, params: { workspaceId: string; campaignId: string | null; limit: number }): Promise<LinkRow[]> {
  const result = await db.execute(sql`
    select url, sum(clicked)::int as clicked, sum(unique_clicked)::int as "uniqueClicked", sum(machine_clicked)::int as "machineClicked",
      max(last_clicked_at) as "lastClickedAt"
    from link_stats
    where workspace_id = ${params.workspaceId}::uuid and (${params.campaignId}::uuid is null or campaign_id = ${params.campaignId}::uuid)
    group by url
    order by 3 desc, 2 desc, url
    limit ${params.limit}`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    url: String(row.url),
    clicked: Number(row.clicked),
    uniqueClicked: Number(row.uniqueClicked),
    machineClicked: Number(row.machineClicked),
    lastClickedAt: row.lastClickedAt ? new Date(row.lastClickedAt as string | Date) : null,
  }));
}

export type DomainRow = { domain: string; totals: EngagementTotals };

/**
 * domain-table: deliverability by mailbox provider, the recipient domains that were sent the
 * most, of one campaign or (campaignId null) of the whole workspace. All time, like the rollup.
 */
export async function domainTable(db: Db, params: { workspaceId: string; campaignId: string | null; limit: number }): Promise<DomainRow[]> {
  const result = await db.execute(sql`
    select domain,
      sum(sent)::int as sent, sum(delivered)::int as delivered, sum(opened)::int as opened, sum(unique_opened)::int as "uniqueOpened",
      sum(machine_opened)::int as "machineOpened", sum(clicked)::int as clicked, sum(unique_clicked)::int as "uniqueClicked",
      sum(machine_clicked)::int as "machineClicked", sum(bounced)::int as bounced, sum(hard_bounced)::int as "hardBounced",
      sum(complained)::int as complained, sum(unsubscribed)::int as unsubscribed
    from domain_stats
    where workspace_id = ${params.workspaceId}::uuid and (${params.campaignId}::uuid is null or campaign_id = ${params.campaignId}::uuid)
    group by domain
    order by sum(sent) desc, sum(delivered) desc, domain
    limit ${params.limit}`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({ domain: String(row.domain), totals: addTotals(emptyTotals(), row as Record<string, number>) }));
}
