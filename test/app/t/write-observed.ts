import { InngestTestEngine } from "@inngest/test";
import { sampleSum } from "@/test/support/prometheus-text";
import type { RecordedEvent } from "@/test/support/event-recorder";

/**
 * Hands what a tracking route sent to the real batch writer (record-engagement), as the Inngest
 * server would. Imported lazily: the client must load after the test points INNGEST_DEV at its recorder.
 */
export async function writeObserved(events: RecordedEvent[]): Promise<{ events: number; recorded: number; duplicates: number; unknownMessages: number }> {
  const { recordEngagement } = await import("@/inngest/functions/analytics/record-engagement");
  const { result, error } = await new InngestTestEngine({ function: recordEngagement }).execute({ events: events as never });
  if (error) throw error;
  return result as never;
}

/** The process's current value of a series (a sum over matching labels). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const { metrics } = await import("@/lib/observability/metrics");
  return sampleSum(await metrics().registry.metrics(), name, labels);
}
