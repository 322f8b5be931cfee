import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { type ResealBatch, resealCredentialsBatch } from "@/lib/mailbox/reseal-credentials-batch";

/** Connections per step, and steps per run (the rest waits a day: a rotation is not urgent). */
export const RESEAL_BATCH = 200;
export const RESEAL_MAX_BATCHES = 50;

/**
 * Daily: re-seals stored mailbox credentials under the newest key in ENCRYPTION_KEYS, so an
 * operator who put a new key first can drop the old one once the run reports nothing left.
 */
export const resealMailboxCredentials = inngest.createFunction(
  { id: "reseal-mailbox-credentials", triggers: [{ cron: "TZ=UTC 45 3 * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => {
    const totals = { resealed: 0, unopenable: 0 };
    let after: string | null = null;
    for (let n = 0; n < RESEAL_MAX_BATCHES; n++) {
      const from: string | null = after;
      const batch: ResealBatch = await step.run(`reseal-${n}`, async () => resealCredentialsBatch((await getDatabase()).db, { after: from, limit: RESEAL_BATCH }));
      totals.resealed += batch.resealed;
      totals.unopenable += batch.unopenable;
      if (batch.next === null) break;
      after = batch.next;
    }
    return totals;
  },
);
