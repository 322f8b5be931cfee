import type { Db } from "@/db";
import { readChainBatch } from "@/db/queries/audit-log";
import { START_OF_CHAIN, verifyChainLinks } from "@/core/audit/audit-chain";

export type ChainVerification = {
  ok: boolean;
  /** Hashed entries whose hash and link matched, up to the break. */
  checked: number;
  /** Entries written before the chain existed (no hash), at its start. */
  unchained: number;
  /** Entries whose details an erasure redacted; they still verify through their stored digest. */
  redacted: number;
  /** The first entry whose hash or link does not match, and why; null when the chain is whole. */
  brokenAt: { id: number; reason: "hash" | "link" | "unchained" } | null;
};

export const VERIFY_BATCH_ROWS = 1000;

/** Walks one chain (a workspace's, or the global one for null) in keyset batches of ids. */
export async function verifyAuditChain(db: Db, workspaceId: string | null, batchRows = VERIFY_BATCH_ROWS): Promise<ChainVerification> {
  let walk = START_OF_CHAIN;
  let afterId = 0;
  for (;;) {
    const batch = await readChainBatch(db, { workspaceId, afterId, limit: batchRows });
    walk = verifyChainLinks(walk, batch);
    if (walk.brokenAt || batch.length < batchRows) break;
    afterId = batch.at(-1)!.id;
  }
  return { ok: walk.brokenAt === null, checked: walk.checked, unchained: walk.unchained, redacted: walk.redacted, brokenAt: walk.brokenAt };
}
