import type { Db } from "@/db";
import { getMetricSeal, getMetricSealBySequence, type MetricSeal } from "@/db/queries/metric-seals";
import { getSealKey } from "@/db/queries/seal-keys";
import { getSealRoot } from "@/db/queries/seal-roots";
import type { SealBundle } from "@/core/seals/verify-seal";

/**
 * A seal with what it takes to verify it: its public key, the link to the previous seal and,
 * once the day's root is built, its Merkle proof and the signed root. Everything in it is the
 * campaign's counters and ids; nothing names a contact.
 */
export async function sealBundleOf(db: Db, seal: MetricSeal): Promise<SealBundle | null> {
  const key = await getSealKey(db, { keyId: seal.keyId });
  if (!key) return null;
  const previous = seal.sequence > 1 ? await getMetricSealBySequence(db, { workspaceId: seal.workspaceId, sequence: seal.sequence - 1 }) : undefined;
  let merkle: SealBundle["merkle"] = null;
  if (seal.rootId && seal.leafIndex !== null && seal.proof) {
    const root = await getSealRoot(db, { rootId: seal.rootId });
    const rootKey = root && (await getSealKey(db, { keyId: root.keyId }));
    if (root && rootKey) {
      merkle = { root: { id: root.id, body: root.body, hash: root.hash, signature: root.signature }, rootKey, leafIndex: seal.leafIndex, proof: seal.proof };
    }
  }
  return {
    id: seal.id,
    seal: { body: seal.body, hash: seal.hash, signature: seal.signature },
    key,
    chain: { previous: previous ? { id: previous.id, sequence: previous.sequence, hash: previous.hash } : null },
    merkle,
  };
}

export async function sealBundle(db: Db, params: { sealId: string }): Promise<SealBundle | null> {
  const seal = await getMetricSeal(db, params);
  return seal ? sealBundleOf(db, seal) : null;
}
