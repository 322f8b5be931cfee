import type { Db } from "@/db";
import { type EnrichmentRow, loadContactsToEnrich, saveContactEnrichments } from "@/db/queries/contact-enrichments";
import { envValue } from "@/core/config/env";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from "@/lib/providers/enrichment/enrichment-provider";
import { ProviderError } from "@/lib/providers/errors";
import { stepError } from "@/lib/providers/step-error";
import { takeSendSlot } from "@/lib/providers/take-send-slot";

/**
 * Provider calls per second, across all workspaces and both paths (contacts created through the
 * API, and imports): the provider's limit is per account.
 */
export const ENRICH_CALLS_PER_SECOND = envValue("ENRICHMENT_BATCHES_PER_SECOND");

/** The local provider computes from the address alone: nothing to pace. */
const LOCAL_PROVIDER = "domain";

export type EnrichBatchSummary = { requested: number; ignored: number; skipped: number; enriched: number; failed: number; saved: number; filled: number };

/** A provider failure for the whole call that retrying cannot fix becomes every contact's error. */
async function enrichOrRecordFailure(db: Db, provider: EnrichmentProvider, inputs: EnrichmentInput[]): Promise<EnrichmentResult[]> {
  const results: EnrichmentResult[] = [];
  for (let start = 0; start < inputs.length; start += provider.maxBatchSize) {
    const chunk = inputs.slice(start, start + provider.maxBatchSize);
    // Every call waits its turn on one schedule in the database, whichever run makes it.
    if (provider.name !== LOCAL_PROVIDER) await takeSendSlot(db, { account: `enrichment:${provider.name}`, perSecond: ENRICH_CALLS_PER_SECOND });
    try {
      results.push(...(await provider.enrich(chunk)));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "rate-limited") throw stepError(error);
      if (error.kind === "transient") throw error;
      const reason = publicErrorMessage(error, { where: "enrich-contacts" });
      results.push(...chunk.map(({ contactId }) => ({ contactId, status: "failed" as const, error: reason })));
    }
  }
  return results;
}

function toRow(result: EnrichmentResult): EnrichmentRow {
  return result.status === "enriched"
    ? { contactId: result.contactId, domain: result.domain, company: result.company, isFreeMail: result.isFreeMail, error: null }
    : { contactId: result.contactId, domain: null, company: null, isFreeMail: false, error: result.error };
}

/**
 * Enriches contacts of one workspace: load, enrich, write. Contact ids are only trusted once the
 * database confirms they belong to the workspace; contacts without an email are skipped. The
 * provider call is a read, so a retried step repeats it harmlessly, and the single-statement
 * write makes the effect all or nothing.
 */
export async function enrichContactBatch(
  db: Db,
  provider: EnrichmentProvider,
  params: { workspaceId: string; contactIds: readonly string[] },
): Promise<EnrichBatchSummary> {
  const found = await loadContactsToEnrich(db, params);
  const inputs = found.flatMap((contact) => (contact.email ? [{ contactId: contact.id, email: contact.email }] : []));
  const results = await enrichOrRecordFailure(db, provider, inputs);
  const { saved, filled } = await saveContactEnrichments(db, { workspaceId: params.workspaceId, provider: provider.name, rows: results.map(toRow) });
  return {
    requested: params.contactIds.length,
    ignored: params.contactIds.length - found.length,
    skipped: found.length - inputs.length,
    enriched: results.filter((result) => result.status === "enriched").length,
    failed: results.filter((result) => result.status === "failed").length,
    saved,
    filled,
  };
}
