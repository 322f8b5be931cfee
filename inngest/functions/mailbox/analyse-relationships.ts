import { getDatabase } from "@/db";
import { getWorkspace } from "@/db/queries/workspaces";
import { inngest } from "@/inngest/client";
import { mailboxRelationshipsRequested } from "@/inngest/events";
import { reportRelationshipAnalysis } from "@/lib/mailbox/report-relationship-analysis";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";

/**
 * Batches per run: with the first and last steps, far under a quarter of Inngest's 1,000 steps;
 * at 1,000 contacts a batch that is 200,000 contacts, and a bigger workspace continues in a new
 * run from the next contact id.
 */
export const RELATIONSHIP_BATCHES_PER_RUN = 200;
/** Quiet time after the last request before recomputing: a backfill's pages arrive seconds apart. */
export const RELATIONSHIP_DEBOUNCE_PERIOD = "10s";
/** A steady stream of requests still gets a recompute this often. */
export const RELATIONSHIP_DEBOUNCE_TIMEOUT = "2m";

/**
 * Recomputes a workspace's relationships (contact_relationships) from its mailbox messages, in
 * keyset batches of contacts, each one step (lib/mailbox/score-relationship-batch.ts: one
 * statement to read, one to write). Every batch scores as of the same instant, fixed by the
 * first step, so a retried step writes the same rows.
 *
 * Debounced per workspace: an import's end, a sync's pages and the daily plan fold into one
 * recompute. A continuation (`after`) has a debounce key of its own — the workspace id followed
 * by the contact id (a missing attribute reads as null, and string + null is the string) — so a
 * new request is never folded into it and always starts a whole pass; one run per workspace at a
 * time keeps the two from writing side by side.
 */
export const analyseRelationships = inngest.createFunction(
  {
    id: "analyse-relationships",
    triggers: [mailboxRelationshipsRequested],
    debounce: { key: "event.data.workspaceId + event.data.after", period: RELATIONSHIP_DEBOUNCE_PERIOD, timeout: RELATIONSHIP_DEBOUNCE_TIMEOUT },
    concurrency: [{ key: "event.data.workspaceId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => {
    const workspaceId = event.data.workspaceId;
    // The workspace is re-read, never trusted from the event; an erased one has nothing to score.
    const asOf = await step.run("load-workspace", async () => {
      const workspace = await getWorkspace((await getDatabase()).db, { workspaceId });
      return workspace ? (event.data.asOf ?? new Date().toISOString()) : null;
    });
    if (!asOf) return { workspaceId, skipped: "no such workspace" };

    let after = event.data.after ?? null;
    const totals = { contacts: 0, scored: 0, removed: 0, cold: 0, awaiting: 0, batches: 0 };
    for (let n = 0; n < RELATIONSHIP_BATCHES_PER_RUN; n++) {
      const batch = await step.run(`score-contacts-${n}`, async () => scoreRelationshipBatch((await getDatabase()).db, { workspaceId, after, now: new Date(asOf) }));
      totals.batches++;
      totals.contacts += batch.contacts;
      totals.scored += batch.scored;
      totals.removed += batch.removed;
      totals.cold += batch.cold;
      totals.awaiting += batch.awaiting;
      if (batch.done || !batch.last) {
        await step.run("report-analysis", () => reportRelationshipAnalysis({ workspaceId, asOf, ...totals, continued: Boolean(event.data.after) }));
        return { workspaceId, asOf, ...totals, done: true };
      }
      after = batch.last;
    }
    await step.sendEvent("continue-analysis", mailboxRelationshipsRequested.create({ workspaceId, after: after!, asOf }, { id: `mailbox-relationships-${workspaceId}-${asOf}-${after}` }));
    return { workspaceId, asOf, ...totals, done: false };
  },
);
