import type { Db } from "@/db";
import { attachSealToRoot, lockUnrootedSeals, unrootedSealDays } from "@/db/queries/metric-seals";
import { recordSealKey } from "@/db/queries/seal-keys";
import { insertSealRoot } from "@/db/queries/seal-roots";
import { hexToBytes } from "@/core/seals/seal-bytes";
import { merkleRootAndProofs } from "@/core/seals/merkle-tree";
import { SEAL_ROOT_FORMAT, type SealRootBody } from "@/core/seals/seal-format";
import { sealHash } from "@/core/seals/seal-hash";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { sealSigner } from "./seal-signing-key";

/** Days caught up per run: a backlog (the cron was down) drains a month at a time. */
export const SEAL_ROOT_DAYS_PER_RUN = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

const startOfUtcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/**
 * Builds the signed Merkle root of every finished UTC day that has seals in no root yet, and
 * writes each seal's leaf index and inclusion proof. One transaction per day with the seals
 * locked, so a re-run (or a second instance) finds them rooted and builds nothing twice; a seal
 * committed late for a day already rooted gets a second root of that day.
 */
export async function buildSealRoots(db: Db, params: { now: Date }, env: NodeJS.ProcessEnv = process.env): Promise<{ day: string; rootId: string; treeSize: number }[]> {
  const today = startOfUtcDay(params.now);
  const days = await unrootedSealDays(db, { before: today, limit: SEAL_ROOT_DAYS_PER_RUN });
  if (days.length === 0) return [];
  const signer = await sealSigner(env);
  await recordSealKey(db, signer.publicKey);
  const built: { day: string; rootId: string; treeSize: number }[] = [];
  for (const day of days) {
    const from = new Date(`${day}T00:00:00.000Z`);
    const result = await db.transaction(async (tx) => {
      const seals = await lockUnrootedSeals(tx, { from, to: new Date(from.getTime() + DAY_MS) });
      if (seals.length === 0) return null;
      const tree = await merkleRootAndProofs(seals.map((seal) => hexToBytes(seal.hash)));
      const body: SealRootBody = {
        format: SEAL_ROOT_FORMAT,
        keyId: signer.publicKey.keyId,
        day,
        treeSize: seals.length,
        rootHash: tree.root,
        createdAt: params.now.toISOString(),
      };
      const hash = await sealHash(body);
      const root = await insertSealRoot(tx, { day, body, hash, signature: signer.sign(hash), keyId: body.keyId });
      for (const [leafIndex, seal] of seals.entries()) {
        await attachSealToRoot(tx, { sealId: seal.id, rootId: root.id, leafIndex, proof: tree.proofs[leafIndex]! });
      }
      return { day, rootId: root.id, treeSize: seals.length };
    });
    if (!result) continue;
    built.push(result);
    metrics().seals.inc({ outcome: "rooted" }, result.treeSize);
    logger.info(result, "seals: daily Merkle root built");
  }
  return built;
}
