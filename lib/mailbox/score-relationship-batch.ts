import type { Db } from "@/db";
import { readRelationshipFigures, type RelationshipValues, saveRelationships } from "@/db/queries/contact-relationships";
import { scoreRelationship } from "@/core/mailbox/relationship-strength";
import { metrics } from "@/lib/observability/metrics";

/**
 * Contacts per batch: one statement reads their figures (an index probe per contact, then their
 * messages) and one writes them, well under a second on a busy mailbox, and 100,000 contacts are
 * 100 steps.
 */
export const RELATIONSHIP_BATCH_CONTACTS = 1_000;

export type RelationshipBatchResult = {
  /** Contacts looked at (with or without mail). */
  contacts: number;
  scored: number;
  removed: number;
  cold: number;
  awaiting: number;
  /** The batch's last contact id: the next batch starts after it. */
  last: string | null;
  /** No contact after this batch. */
  done: boolean;
};

/**
 * Scores the next batch of a workspace's contacts as of `now`: their figures from the mailbox
 * (db/queries/contact-relationships.ts), the strength by the pure formula, written in one
 * statement with the stale rows of the batch's id range removed. Idempotent for a given `now`,
 * so a retried step writes the same rows.
 */
export async function scoreRelationshipBatch(db: Db, params: { workspaceId: string; after: string | null; now: Date; limit?: number }): Promise<RelationshipBatchResult> {
  const limit = params.limit ?? RELATIONSHIP_BATCH_CONTACTS;
  const figures = await readRelationshipFigures(db, { workspaceId: params.workspaceId, after: params.after, limit, now: params.now });
  const rows: RelationshipValues[] = [];
  for (const row of figures) {
    if (row.sent + row.received === 0 || !row.firstInteractionAt || !row.lastInteractionAt) continue;
    const score = scoreRelationship(
      {
        sent: row.sent,
        received: row.received,
        firstInteractionAt: row.firstInteractionAt,
        lastInteractionAt: row.lastInteractionAt,
        interactionDays: row.interactionDays,
        ownerReplySeconds: row.ownerReplySeconds,
        contactReplySeconds: row.contactReplySeconds,
      },
      params.now,
    );
    rows.push({
      contactId: row.contactId,
      messagesSent: row.sent,
      messagesReceived: row.received,
      sentLast90Days: row.sentLast90Days,
      receivedLast90Days: row.receivedLast90Days,
      firstInteractionAt: row.firstInteractionAt,
      lastInteractionAt: row.lastInteractionAt,
      interactionDays: row.interactionDays,
      usualGapDays: score.usualGapDays,
      reciprocity: score.reciprocity,
      ownerReplySeconds: row.ownerReplySeconds,
      contactReplySeconds: row.contactReplySeconds,
      strength: score.strength,
      peakStrength: score.peakStrength,
      goingCold: score.goingCold,
      awaitingThreads: row.awaitingThreads,
      awaitingSubject: row.awaitingSubject,
      awaitingSince: row.awaitingSince,
    });
  }
  const last = figures.at(-1)?.contactId ?? null;
  const done = figures.length < limit;
  const { removed } = await saveRelationships(db, { workspaceId: params.workspaceId, rows, computedAt: params.now, from: params.after, to: done ? null : last });
  metrics().relationshipsScored.inc(rows.length);
  return {
    contacts: figures.length,
    scored: rows.length,
    removed,
    cold: rows.filter((row) => row.goingCold).length,
    awaiting: rows.filter((row) => row.awaitingThreads > 0).length,
    last,
    done,
  };
}
