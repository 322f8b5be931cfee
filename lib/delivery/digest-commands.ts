import { z } from "zod";
import type { Db } from "@/db";
import { closeDigest, type Digest, getDigest, makeDigestDue } from "@/db/queries/digests";

export type DigestCommandOutcome = { ok: true; digest: Digest } | { ok: false; status: 404 | 409; message: string };

const NOT_FOUND = { ok: false, status: 404, message: "Digest not found" } as const;
/** Not a digest id at all: not found, without asking the database (a uuid column refuses other text). */
const isId = (id: string) => z.uuid().safeParse(id).success;

async function explain(db: Db, ids: { workspaceId: string; digestId: string }): Promise<DigestCommandOutcome> {
  const known = await getDigest(db, ids);
  return known ? { ok: false, status: 409, message: `The digest is ${known.status}, not pending` } : NOT_FOUND;
}

/**
 * Makes a pending digest due now (a run that has not begun waiting finds it so); the caller then
 * sends digestFlushEvents. Another workspace's digest is not found (invariant 5).
 */
export async function flushDigestNow(db: Db, ids: { workspaceId: string; digestId: string }): Promise<DigestCommandOutcome> {
  if (!isId(ids.digestId)) return NOT_FOUND;
  const digest = await makeDigestDue(db, ids);
  return digest ? { ok: true, digest } : explain(db, ids);
}

/**
 * Cancels a pending digest. The row is closed first, which is what keeps a flush from sending it;
 * the caller's digestCancelEvent only ends the waiting run early.
 */
export async function cancelDigest(db: Db, ids: { workspaceId: string; digestId: string }): Promise<DigestCommandOutcome> {
  if (!isId(ids.digestId)) return NOT_FOUND;
  const digest = await closeDigest(db, { ...ids, to: "cancelled" });
  return digest ? { ok: true, digest } : explain(db, ids);
}
