import { getDatabase } from "@/db";
import { inngest } from "@/inngest/client";
import { buildSealRoots as build } from "@/lib/seals/build-seal-roots";

/**
 * Shortly after midnight UTC, gathers the previous day's seals (and any day missed) into a signed
 * Merkle root, and gives each seal its inclusion proof. One run at a time: a day's seals are
 * locked while its root is written, and a second run would only wait for them.
 */
export const buildSealRoots = inngest.createFunction(
  { id: "build-seal-roots", triggers: [{ cron: "TZ=UTC 10 0 * * *" }], retries: 3, concurrency: [{ limit: 1 }] },
  async ({ step }) => step.run("build-roots", async () => build((await getDatabase()).db, { now: new Date() })),
);
