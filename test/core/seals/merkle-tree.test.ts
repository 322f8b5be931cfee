import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes, sha256 } from "@/core/seals/seal-bytes";
import { inclusionProof, leafHash, merkleRoot, merkleRootAndProofs, nodeHash, verifyInclusion } from "@/core/seals/merkle-tree";

const leafData = fc.uint8Array({ minLength: 32, maxLength: 32 });
const trees = fc.array(leafData, { minLength: 1, maxLength: 40 });

describe("merkle tree (RFC 6962)", () => {
  it("hashes leaves and nodes with their prefixes, split at the largest power of two", async () => {
    const [a, b, c] = [new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])];
    expect(bytesToHex(await merkleRoot([]))).toBe(bytesToHex(await sha256(new Uint8Array())));
    expect(bytesToHex(await merkleRoot([a]))).toBe(bytesToHex(await leafHash(a)));
    const ab = await nodeHash(await leafHash(a), await leafHash(b));
    expect(bytesToHex(await merkleRoot([a, b, c]))).toBe(bytesToHex(await nodeHash(ab, await leafHash(c))));
    expect(await inclusionProof([a, b, c], 2)).toEqual([bytesToHex(ab)]);
  });

  it("every leaf's proof verifies against the root, and the one-pass proofs are the RFC's PATH", async () => {
    await fc.assert(
      fc.asyncProperty(trees, async (data) => {
        const { root, proofs } = await merkleRootAndProofs(data);
        expect(root).toBe(bytesToHex(await merkleRoot(data)));
        for (const [index, leaf] of data.entries()) {
          expect(proofs[index]).toEqual(await inclusionProof(data, index));
          expect(await verifyInclusion({ data: leaf, index, treeSize: data.length, proof: proofs[index]!, rootHex: root })).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("fails for a changed leaf, index, tree size or sibling", async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), async (data, pick, other, bit) => {
        const index = pick % data.length;
        const { root, proofs } = await merkleRootAndProofs(data);
        const proof = proofs[index]!;
        const leaf = data[index]!;
        const changed = Uint8Array.from(leaf);
        changed[bit % changed.length]! ^= 1 << (bit % 8);
        expect(await verifyInclusion({ data: changed, index, treeSize: data.length, proof, rootHex: root })).toBe(false);

        const otherIndex = other % data.length;
        // Another index verifies only when it holds the same leaf (a duplicate seal hash) under the same path.
        if (otherIndex !== index && bytesToHex(data[otherIndex]!) !== bytesToHex(leaf)) {
          expect(await verifyInclusion({ data: leaf, index: otherIndex, treeSize: data.length, proof, rootHex: root })).toBe(false);
        }
        expect(await verifyInclusion({ data: leaf, index: data.length + other, treeSize: data.length, proof, rootHex: root })).toBe(false);
        if (proof.length > 0) {
          const sibling = other % proof.length;
          const bytes = hexToBytes(proof[sibling]!);
          bytes[bit % 32]! ^= 1 << (bit % 8);
          const tampered = proof.map((hash, at) => (at === sibling ? bytesToHex(bytes) : hash));
          expect(await verifyInclusion({ data: leaf, index, treeSize: data.length, proof: tampered, rootHex: root })).toBe(false);
          expect(await verifyInclusion({ data: leaf, index, treeSize: data.length, proof: proof.slice(1), rootHex: root })).toBe(false);
        }
      }),
      { numRuns: 80 },
    );
  });
});
