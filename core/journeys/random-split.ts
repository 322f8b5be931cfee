import { createHash } from "node:crypto";

/**
 * Which exit of a random split an enrollment takes: a hash of (enrollment, step) mapped onto the
 * weights, so a retried or replayed step picks the same exit, and exits are filled in proportion
 * to their weights across enrollments.
 */
export function pickSplitExit(enrollmentId: string, nodeId: string, weights: number[]): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const digest = createHash("sha256").update(`${enrollmentId}:${nodeId}`).digest();
  const point = digest.readUInt32BE(0) % total;
  let upTo = 0;
  for (const [index, weight] of weights.entries()) {
    upTo += weight;
    if (point < upTo) return index;
  }
  return weights.length - 1;
}
