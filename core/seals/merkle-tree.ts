import { bytesToHex, concatBytes, hexToBytes, sha256 } from "./seal-bytes";

/**
 * The daily tree over seal hashes, RFC 6962 §2.1 (RFC 9162 §2.1): a leaf is SHA-256(0x00 ‖ data),
 * a node SHA-256(0x01 ‖ left ‖ right), the split at the largest power of two below the size. The
 * prefixes keep a leaf from passing for a node (second-preimage), and following the RFC lets a
 * certificate-transparency style log or its tools check our proofs as they are.
 */

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export const leafHash = (data: Uint8Array) => sha256(concatBytes(LEAF, data));
export const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concatBytes(NODE, left, right));

/** Largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

async function subtreeRoot(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0]!;
  const k = split(leaves.length);
  return nodeHash(await subtreeRoot(leaves.slice(0, k)), await subtreeRoot(leaves.slice(k)));
}

/** The root over leaf *data* (each hashed as a leaf first). */
export async function merkleRoot(data: readonly Uint8Array[]): Promise<Uint8Array> {
  return subtreeRoot(await Promise.all(data.map(leafHash)));
}

async function path(index: number, leaves: readonly Uint8Array[]): Promise<Uint8Array[]> {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...(await path(index, leaves.slice(0, k))), await subtreeRoot(leaves.slice(k))]
    : [...(await path(index - k, leaves.slice(k))), await subtreeRoot(leaves.slice(0, k))];
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up, as hex. */
export async function inclusionProof(data: readonly Uint8Array[], index: number): Promise<string[]> {
  if (!Number.isInteger(index) || index < 0 || index >= data.length) throw new RangeError(`leaf ${index} is not in a tree of ${data.length}`);
  return (await path(index, await Promise.all(data.map(leafHash)))).map(bytesToHex);
}

/**
 * RFC 9162 §2.1.3.2, verbatim: recomputes the root from a leaf's data, its index, the tree size
 * and the proof, and compares it with `rootHex`. False for anything malformed.
 */
export async function verifyInclusion(params: { data: Uint8Array; index: number; treeSize: number; proof: readonly string[]; rootHex: string }): Promise<boolean> {
  const { index, treeSize, proof } = params;
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = await leafHash(params.data);
  for (const hex of proof) {
    if (sn === 0 || !/^[0-9a-f]{64}$/i.test(hex)) return false;
    const p = hexToBytes(hex);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesToHex(r) === params.rootHex.toLowerCase();
}

async function proofsOf(leaves: readonly Uint8Array[]): Promise<{ root: Uint8Array; proofs: Uint8Array[][] }> {
  if (leaves.length === 1) return { root: leaves[0]!, proofs: [[]] };
  const k = split(leaves.length);
  const [left, right] = await Promise.all([proofsOf(leaves.slice(0, k)), proofsOf(leaves.slice(k))]);
  return {
    root: await nodeHash(left.root, right.root),
    proofs: [...left.proofs.map((proof) => [...proof, right.root]), ...right.proofs.map((proof) => [...proof, left.root])],
  };
}

/** The root and every leaf's proof in one pass (n log n hashes, where a proof per leaf would cost n² ones). */
export async function merkleRootAndProofs(data: readonly Uint8Array[]): Promise<{ root: string; proofs: string[][] }> {
  if (data.length === 0) return { root: bytesToHex(await sha256(new Uint8Array())), proofs: [] };
  const { root, proofs } = await proofsOf(await Promise.all(data.map(leafHash)));
  return { root: bytesToHex(root), proofs: proofs.map((proof) => proof.map(bytesToHex)) };
}
