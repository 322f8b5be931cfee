import type { Erasure } from "@/db/queries/erasures";

/** An erasure as the API shows it (lib/api/contracts/erasures.ts). */
export function erasureView(erasure: Erasure) {
  return {
    id: erasure.id,
    subject: erasure.subject,
    contactId: erasure.contactId,
    status: erasure.status,
    requestedBy: erasure.requestedBy,
    requestedAt: erasure.requestedAt.toISOString(),
    eraseAfter: erasure.eraseAfter.toISOString(),
    executedAt: erasure.executedAt?.toISOString() ?? null,
    restoredAt: erasure.restoredAt?.toISOString() ?? null,
    recoveryEmailsSent: erasure.recoveryEmailsSent,
    counts: erasure.counts,
    error: erasure.error,
  };
}
