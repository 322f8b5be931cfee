import { createHash } from "node:crypto";

/**
 * The variant an enrollment gets while the test runs: a hash of (version, step, enrollment), so a
 * retried or replayed step — or a later visit of the same step — gets the same one, and variants
 * fill evenly across enrollments.
 */
export function journeyAbVariantOf(params: { version: number; nodeId: string; enrollmentId: string; variants: number }): number {
  const digest = createHash("sha256").update(`${params.version}:${params.nodeId}:${params.enrollmentId}`).digest();
  return digest.readUInt32BE(0) % params.variants;
}
