import { base64UrlToBytes, hexToBytes, sealKeyId, verifyEd25519 } from "./seal-bytes";
import { type SealBody, type SealPublicKey, type SealRootBody, type Signed, SEAL_FORMAT, SEAL_ROOT_FORMAT } from "./seal-format";
import { sealHash } from "./seal-hash";
import { verifyInclusion } from "./merkle-tree";

/**
 * What GET /api/public/seals/{id} answers and `verify-seal` reads: a seal with everything needed
 * to check it without trusting the server that sent it, except the key (pin it from
 * /.well-known/sendline-seal-key, fetched separately).
 */
export type SealBundle = {
  id: string;
  seal: Signed<SealBody>;
  key: SealPublicKey;
  chain: { previous: { id: string; sequence: number; hash: string } | null };
  merkle: { root: Signed<SealRootBody> & { id: string }; rootKey: SealPublicKey; leafIndex: number; proof: string[] } | null;
};

/** ok null: not checked (nothing to check against), which is not a failure. */
export type SealCheck = { check: "format" | "hash" | "key" | "signature" | "chain" | "merkle"; ok: boolean | null; detail: string };

const isHash = (value: unknown): value is string => typeof value === "string" && /^[0-9a-f]{64}$/.test(value);

/** Checks a signed document's hash and signature against a key; the key must be the one its body names. */
export async function verifySigned(document: Signed<{ keyId: string }>, key: SealPublicKey): Promise<SealCheck[]> {
  const checks: SealCheck[] = [];
  const hash = await sealHash(document.body);
  checks.push(
    hash === document.hash
      ? { check: "hash", ok: true, detail: `SHA-256 of the canonical JSON is ${hash}` }
      : { check: "hash", ok: false, detail: `the canonical JSON hashes to ${hash}, not the stated ${document.hash}: the content was changed` },
  );
  let raw: Uint8Array | null = null;
  try {
    raw = base64UrlToBytes(key.jwk.x);
  } catch {
    raw = null;
  }
  const keyId = raw && raw.length === 32 ? await sealKeyId(raw) : null;
  checks.push(
    keyId && keyId === key.keyId && keyId === document.body.keyId
      ? { check: "key", ok: true, detail: `signed by key ${keyId}` }
      : { check: "key", ok: false, detail: `the seal names key ${document.body.keyId}; the key given is ${key.keyId} and hashes to ${keyId ?? "nothing (malformed)"}` },
  );
  let signatureOk = false;
  if (raw && isHash(document.hash)) {
    try {
      signatureOk = await verifyEd25519(raw, base64UrlToBytes(document.signature), hexToBytes(document.hash));
    } catch {
      signatureOk = false;
    }
  }
  checks.push({ check: "signature", ok: signatureOk, detail: signatureOk ? "the Ed25519 signature over the hash is valid" : "the Ed25519 signature does not match the hash and key" });
  return checks;
}

/** The link from `seal` back to `previous`: same workspace, next number, its hash. */
export function chainCheck(seal: SealBody, previous: { sequence: number; hash: string; workspaceId?: string } | null): SealCheck {
  if (previous === null) {
    return seal.sequence === 1 && seal.prevHash === null
      ? { check: "chain", ok: true, detail: "the first seal of its workspace" }
      : { check: "chain", ok: null, detail: `links to seal ${seal.sequence - 1} (${seal.prevHash ?? "none"}); give the previous seal to check the link` };
  }
  if (previous.workspaceId !== undefined && previous.workspaceId !== seal.workspaceId) return { check: "chain", ok: false, detail: "the previous seal is another workspace's" };
  if (previous.sequence + 1 !== seal.sequence) return { check: "chain", ok: false, detail: `seal ${seal.sequence} does not follow seal ${previous.sequence}` };
  if (previous.hash !== seal.prevHash) return { check: "chain", ok: false, detail: `links to ${seal.prevHash ?? "nothing"}, but the previous seal's hash is ${previous.hash}` };
  return { check: "chain", ok: true, detail: `follows seal ${previous.sequence} (${previous.hash})` };
}

/**
 * Every check of one bundle. `previous`: the previous seal (verified itself first), to check
 * the link against its content rather than the bundle's word; `trustedKeyIds`: the key ids
 * published at the well-known URL, when the caller fetched them.
 */
export async function verifySealBundle(bundle: SealBundle, options: { previous?: Signed<SealBody>; trustedKeyIds?: readonly string[] } = {}): Promise<SealCheck[]> {
  const { seal } = bundle;
  const checks: SealCheck[] = [];
  checks.push(
    seal.body.format === SEAL_FORMAT
      ? { check: "format", ok: true, detail: SEAL_FORMAT }
      : { check: "format", ok: false, detail: `unknown format ${String(seal.body.format)}` },
  );
  checks.push(...(await verifySigned(seal, bundle.key)));
  if (options.trustedKeyIds && !options.trustedKeyIds.includes(bundle.key.keyId)) {
    checks.push({ check: "key", ok: false, detail: `key ${bundle.key.keyId} is not among the published keys (${options.trustedKeyIds.join(", ") || "none"})` });
  }

  if (options.previous) {
    const previousChecks = await verifySigned(options.previous, bundle.key.keyId === options.previous.body.keyId ? bundle.key : { ...bundle.key, keyId: "" });
    const failed = previousChecks.find((check) => check.ok === false && check.check !== "key");
    checks.push(
      failed
        ? { check: "chain", ok: false, detail: `the previous seal does not verify: ${failed.detail}` }
        : chainCheck(seal.body, { sequence: options.previous.body.sequence, hash: options.previous.hash, workspaceId: options.previous.body.workspaceId }),
    );
  } else {
    const link = bundle.chain.previous;
    checks.push(link ? chainCheck(seal.body, link) : chainCheck(seal.body, null));
  }

  if (!bundle.merkle) {
    checks.push({ check: "merkle", ok: null, detail: "not yet in a daily root (roots are built after the day ends, UTC)" });
  } else {
    const { root, rootKey, leafIndex, proof } = bundle.merkle;
    const rootChecks = await verifySigned(root, rootKey);
    const rootFailure = rootChecks.find((check) => check.ok === false);
    const included =
      isHash(seal.hash) &&
      root.body.format === SEAL_ROOT_FORMAT &&
      (await verifyInclusion({ data: hexToBytes(seal.hash), index: leafIndex, treeSize: root.body.treeSize, proof, rootHex: root.body.rootHash }));
    checks.push(
      rootFailure
        ? { check: "merkle", ok: false, detail: `the daily root does not verify: ${rootFailure.detail}` }
        : included
          ? { check: "merkle", ok: true, detail: `leaf ${leafIndex} of ${root.body.treeSize} in the root of ${root.body.day} (${root.body.rootHash})` }
          : { check: "merkle", ok: false, detail: `the proof does not lead from this seal's hash to the root of ${root.body.day}` },
    );
  }
  return checks;
}

/**
 * A run of consecutive seals of one workspace, in order: each seal verifies and links to the
 * one before it. The problems found, by position; empty means the chain holds.
 */
export async function verifySealChain(seals: readonly Signed<SealBody>[], keys: ReadonlyMap<string, SealPublicKey>): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, seal] of seals.entries()) {
    const key = keys.get(seal.body.keyId);
    if (!key) {
      problems.push(`${index}: unknown key ${seal.body.keyId}`);
      continue;
    }
    for (const check of await verifySigned(seal, key)) if (check.ok === false) problems.push(`${index}: ${check.detail}`);
    const previous = index === 0 ? null : seals[index - 1]!;
    const link = chainCheck(seal.body, previous && { sequence: previous.body.sequence, hash: previous.hash, workspaceId: previous.body.workspaceId });
    if (link.ok === false) problems.push(`${index}: ${link.detail}`);
  }
  return problems;
}

export const sealVerified = (checks: readonly SealCheck[]) => checks.every((check) => check.ok !== false);
