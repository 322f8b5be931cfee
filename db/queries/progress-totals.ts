import { count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaignRecipients, campaigns, imports } from "@/db/schema";

export type ProgressTotals = {
  campaignsByStatus: Record<string, number>;
  /** Recipients of campaigns in `sending` only: the progress of what is going out now, not history. */
  sendingRecipientsByStatus: Record<string, number>;
  importsByStatus: Record<string, number>;
  importRows: { processed: number; inserted: number; updated: number; skipped: number; failed: number };
};

const byStatus = (rows: { status: string; total: number }[]) => Object.fromEntries(rows.map((row) => [row.status, Number(row.total)]));

/**
 * Totals across every workspace, for the metrics scrape and the operations page. campaigns and
 * imports hold a row per campaign or upload, so their scans stay small; recipients are counted
 * only for campaigns being sent, through the (campaign_id, …) primary key.
 */
export async function progressTotals(db: Db): Promise<ProgressTotals> {
  const [campaignRows, recipientRows, importRows, [rowSums]] = await Promise.all([
    db.select({ status: campaigns.status, total: count() }).from(campaigns).groupBy(campaigns.status),
    db
      .select({ status: campaignRecipients.status, total: count() })
      .from(campaignRecipients)
      .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
      .where(eq(campaigns.status, "sending"))
      .groupBy(campaignRecipients.status),
    db.select({ status: imports.status, total: count() }).from(imports).groupBy(imports.status),
    db
      .select({
        processed: sql<string>`coalesce(sum(${imports.processed}), 0)`,
        inserted: sql<string>`coalesce(sum(${imports.inserted}), 0)`,
        updated: sql<string>`coalesce(sum(${imports.updated}), 0)`,
        skipped: sql<string>`coalesce(sum(${imports.skipped}), 0)`,
        failed: sql<string>`coalesce(sum(${imports.failed}), 0)`,
      })
      .from(imports),
  ]);
  return {
    campaignsByStatus: byStatus(campaignRows),
    sendingRecipientsByStatus: byStatus(recipientRows),
    importsByStatus: byStatus(importRows),
    importRows: {
      processed: Number(rowSums?.processed ?? 0),
      inserted: Number(rowSums?.inserted ?? 0),
      updated: Number(rowSums?.updated ?? 0),
      skipped: Number(rowSums?.skipped ?? 0),
      failed: Number(rowSums?.failed ?? 0),
    },
  };
}
