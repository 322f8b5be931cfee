import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * The audit log's hash chain (issue 16). Each entry's hash is sha256 over the RFC 8785 (JCS)
 * serialisation of its content and the previous entry's hash in the same chain (one chain per
 * workspace; entries without a workspace form the global chain). Editing, removing or
 * reordering an entry changes a hash or breaks a link, which `verifyChainLinks` reports.
 *
 * The hash covers the details through their own digest (`details_digest`, stored beside them),
 * so an erasure can redact details that quote a person (REDACTED_AUDIT_DETAILS) without breaking
 * the chain: a redacted entry is checked against its stored digest and counted as redacted; any
 * other entry's details must still produce their digest.
 */
export type AuditContent = {
  workspaceId: string | null;
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  /** To the millisecond, written by the app (never the database's default), so the hash is computable. */
  createdAt: Date;
};

export type ChainedEntry = AuditContent & { id: number; prevHash: string | null; hash: string | null; detailsDigest: string | null };

/** What an erasure leaves of details that quoted a person (db/queries/personal-data.ts). */
export const REDACTED_AUDIT_DETAILS = { redacted: "erasure" } as const;

const isRedacted = (details: Record<string, unknown>) => Object.keys(details).length === 1 && details.redacted === REDACTED_AUDIT_DETAILS.redacted;

export function auditDetailsDigest(details: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalize(details)!, "utf8").digest("hex");
}

/** Details as the database will hand them back (jsonb drops undefined, dates become strings). */
export function storableDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return details ? (JSON.parse(JSON.stringify(details)) as Record<string, unknown>) : {};
}

export function auditEntryHash(entry: Omit<AuditContent, "details"> & { detailsDigest: string }, prevHash: string | null): string {
  const text = canonicalize({
    workspaceId: entry.workspaceId,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    detailsDigest: entry.detailsDigest,
    createdAt: entry.createdAt.toISOString(),
    prevHash,
  });
  return createHash("sha256").update(text!, "utf8").digest("hex");
}

/** A chain walked so far: the last good hash, entries checked, and where it broke (if it did). */
export type ChainWalk = {
  lastHash: string | null;
  checked: number;
  unchained: number;
  /** Checked entries whose details an erasure redacted (their stored digest stands for them). */
  redacted: number;
  brokenAt: { id: number; reason: "hash" | "link" | "unchained" } | null;
};

export const START_OF_CHAIN: ChainWalk = { lastHash: null, checked: 0, unchained: 0, redacted: 0, brokenAt: null };

/**
 * Continues a walk over the next entries of one chain, in chain (id) order. Entries written
 * before the chain existed (no hash) may only precede it; an unhashed entry after the first
 * hashed one was written around the app and breaks the chain. Stops at the first break.
 */
export function verifyChainLinks(walk: ChainWalk, entries: readonly ChainedEntry[]): ChainWalk {
  let { lastHash, checked, unchained, redacted } = walk;
  if (walk.brokenAt) return walk;
  const broken = (id: number, reason: "hash" | "link" | "unchained"): ChainWalk => ({ lastHash, checked, unchained, redacted, brokenAt: { id, reason } });
  for (const entry of entries) {
    if (entry.hash === null) {
      if (lastHash !== null || checked > 0) return broken(entry.id, "unchained");
      unchained += 1;
      continue;
    }
    if (entry.prevHash !== lastHash) return broken(entry.id, "link");
    const wasRedacted = isRedacted(entry.details);
    if (entry.detailsDigest === null || (!wasRedacted && auditDetailsDigest(entry.details) !== entry.detailsDigest)) return broken(entry.id, "hash");
    if (auditEntryHash({ ...entry, detailsDigest: entry.detailsDigest }, entry.prevHash) !== entry.hash) return broken(entry.id, "hash");
    if (wasRedacted) redacted += 1;
    lastHash = entry.hash;
    checked += 1;
  }
  return { lastHash, checked, unchained, redacted, brokenAt: null };
}
