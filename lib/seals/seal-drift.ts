import type { Db } from "@/db";
import type { MetricSeal } from "@/db/queries/metric-seals";
import { getSealKey } from "@/db/queries/seal-keys";
import { verifySigned } from "@/core/seals/verify-seal";
import { currentSealedValues } from "./seal-campaign-metrics";

export type SealDrift = { field: string; sealed: number; current: number };

/** Sealed counters that differ from the rollups now (late events after a `finished` seal are expected drift). */
export function driftBetween(sealed: Pick<MetricSeal["body"], "progress" | "metrics">, current: Pick<MetricSeal["body"], "progress" | "metrics">): SealDrift[] {
  const drift: SealDrift[] = [];
  for (const group of ["progress", "metrics"] as const) {
    for (const [name, value] of Object.entries(current[group])) {
      const before = Number((sealed[group] as Record<string, unknown>)[name] ?? Number.NaN);
      if (before !== value) drift.push({ field: `${group}.${name}`, sealed: before, current: value });
    }
  }
  return drift;
}

/**
 * The workspace's own check of a stored seal: does the row still verify (hash, key, signature:
 * an edited row fails here as it fails for anyone), and how far are today's rollups from what
 * was sealed.
 */
export async function checkStoredSeal(db: Db, seal: MetricSeal): Promise<{ verified: boolean; problems: string[]; drift: SealDrift[] }> {
  const key = await getSealKey(db, { keyId: seal.keyId });
  const checks = key ? await verifySigned({ body: seal.body, hash: seal.hash, signature: seal.signature }, key) : [];
  const problems = key ? checks.filter((check) => check.ok === false).map((check) => check.detail) : [`unknown key ${seal.keyId}`];
  const current = await currentSealedValues(db, { workspaceId: seal.workspaceId, campaignId: seal.campaignId });
  return { verified: problems.length === 0, problems, drift: driftBetween(seal.body, current) };
}
