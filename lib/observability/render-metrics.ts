import type { Db } from "@/db";
import { latestCompletedBackup } from "@/db/queries/backups";
import { progressTotals } from "@/db/queries/progress-totals";
import { listProviderHealth } from "@/lib/providers/provider-health";
import { logger } from "./logger";
import { metrics } from "./metrics";

const BREAKER_GAUGE = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * The Prometheus text of every series, with the database-backed gauges read just before. When
 * the database does not answer, those gauges are left out (not zeroed: zero would be a lie) and
 * the process's own series are still served.
 */
export async function renderMetrics(db: () => Promise<Db>): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const gauges = [m.campaigns, m.campaignRecipients, m.imports, m.importRows, m.providerBreakerState, m.backupLastSuccess];
  for (const gauge of gauges) gauge.reset();
  try {
    const totals = await progressTotals(await db());
    for (const [status, value] of Object.entries(totals.campaignsByStatus)) m.campaigns.set({ status }, value);
    for (const [status, value] of Object.entries(totals.sendingRecipientsByStatus)) m.campaignRecipients.set({ status }, value);
    for (const [status, value] of Object.entries(totals.importsByStatus)) m.imports.set({ status }, value);
    for (const [outcome, value] of Object.entries(totals.importRows)) m.importRows.set({ outcome }, value);
    for (const { channel, provider, breaker } of await listProviderHealth(await db())) {
      m.providerBreakerState.set({ channel, provider }, BREAKER_GAUGE[breaker.state]);
    }
    const lastBackup = await latestCompletedBackup(await db());
    if (lastBackup?.finishedAt) m.backupLastSuccess.set(lastBackup.finishedAt.getTime() / 1000);
  } catch (error) {
    logger.warn({ err: error }, "metrics: the database totals could not be read");
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
