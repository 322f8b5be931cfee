import type { EngagementTotals } from "@/core/analytics/engagement";

/**
 * What a seal signs. Everything a reader needs to interpret the numbers is inside the body
 * (ids, the window, the chain position, the key), and nothing else is: no names, no addresses,
 * no contact data, so a seal can be published as is.
 */
export const SEAL_FORMAT = "sendline-seal/1";
export const SEAL_ROOT_FORMAT = "sendline-seal-root/1";

/** finished: when the campaign ended; settled: after late opens, clicks and bounces came in; manual: `POST …/seals`. */
export const SEAL_KINDS = ["finished", "settled", "manual"] as const;
export type SealKind = (typeof SEAL_KINDS)[number];

export type SealProgress = { audience: number; sent: number; suppressed: number; failed: number };

export type SealBody = {
  format: typeof SEAL_FORMAT;
  keyId: string;
  workspaceId: string;
  campaignId: string;
  /** 1, 2, 3… per workspace; `prevHash` is the hash of the seal numbered one less (null for 1). */
  sequence: number;
  prevHash: string | null;
  kind: SealKind;
  sealedAt: string;
  /** The campaign ran from `startedAt` to `finishedAt`; its events are counted up to `sealedAt`. */
  window: { startedAt: string | null; finishedAt: string | null };
  progress: SealProgress;
  metrics: EngagementTotals;
};

/** The signed head of one day's Merkle tree over seal hashes. */
export type SealRootBody = {
  format: typeof SEAL_ROOT_FORMAT;
  keyId: string;
  /** The UTC day whose seals are the leaves, in order of sealing. */
  day: string;
  treeSize: number;
  rootHash: string;
  createdAt: string;
};

/** A signed document: the body, SHA-256 of its RFC 8785 form (hex), Ed25519 over those 32 bytes (base64url). */
export type Signed<B> = { body: B; hash: string; signature: string };

/** The public key as published: JWK (RFC 8037 OKP) and SPKI PEM, under its key id. */
export type SealPublicKey = { keyId: string; jwk: { kty: "OKP"; crv: "Ed25519"; x: string }; pem: string };
