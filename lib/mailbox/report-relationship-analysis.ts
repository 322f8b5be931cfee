import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";

export type RelationshipAnalysisTotals = {
  workspaceId: string;
  /** The instant the pass scored as of. */
  asOf: string;
  /** Contacts looked at, scored (the mailbox names them), rows removed, cold and awaiting among the scored. */
  contacts: number;
  scored: number;
  removed: number;
  cold: number;
  awaiting: number;
  batches: number;
  /** This run continued a pass that an earlier run began (its totals are this run's part). */
  continued: boolean;
};

/** Counts a finished recompute and logs what it found: ids and counts, never a name or an address. */
export function reportRelationshipAnalysis(totals: RelationshipAnalysisTotals): RelationshipAnalysisTotals {
  metrics().relationshipAnalyses.inc();
  logger.info(totals, "mailbox: relationships analysed");
  return totals;
}
