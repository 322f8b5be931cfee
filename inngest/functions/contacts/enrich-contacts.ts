import { RetryAfterError } from "inngest";
import { getDb } from "@/db";
import { type EnrichmentRow, loadContactsToEnrich, saveContactEnrichments } from "@/db/queries/contact-enrichments";
import { inngest } from "@/inngest/client";
import { envValue } from "@/lib/config/env";
import { contactCreated } from "@/inngest/events";
import { createEnrichmentProvider } from "@/lib/providers/enrichment/create-enrichment-provider";
import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from "@/lib/providers/enrichment/enrichment-provider";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { ProviderError } from "@/lib/providers/errors";

/** Contacts per run: 100 events per batch keeps one provider call and one write per run. */
export const ENRICH_BATCH_SIZE = 100;
/**
 * Batches started per second, across all workspaces: the provider's limit is per account.
 * ENRICHMENT_BATCHES_PER_SECOND is read once, when the function is defined.
 */
export const ENRICH_BATCHES_PER_SECOND = envValue("ENRICHMENT_BATCHES_PER_SECOND");

/** A provider failure for the whole call that retrying cannot fix becomes every contact's error. */
async function enrichOrRecordFailure(provider: EnrichmentProvider, inputs: EnrichmentInput[]): Promise<EnrichmentResult[]> {
  const results: EnrichmentResult[] = [];
  for (let start = 0; start < inputs.length; start += provider.maxBatchSize) {
    const chunk = inputs.slice(start, start + provider.maxBatchSize);
    try {
      results.push(...(await provider.enrich(chunk)));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (error.kind === "rate-limited") {
        throw new RetryAfterError(error.message, new Date(Date.now() + (error.details.retryAfterMs ?? 1_000)));
      }
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
 * Fills company and domain for new contacts, a batch of `contact/created` events per run. The
 * batch key makes every event of a run name the same workspace; events naming another one (a
 * bug upstream, or a forged event) are ignored, and contact ids are only trusted once the
 * database confirms they belong to that workspace. Contacts without an email are skipped.
 * One step: load, enrich, write — the provider call is a read, so a retried step repeats it
 * harmlessly, and the single-statement write makes the run's effect all or nothing.
 */
export const enrichContacts = inngest.createFunction(
  {
    id: "enrich-contacts",
    triggers: [contactCreated],
    batchEvents: { maxSize: ENRICH_BATCH_SIZE, timeout: "5s", key: "event.data.workspaceId" },
    throttle: { limit: ENRICH_BATCHES_PER_SECOND, period: "1s" },
    retries: 5,
  },
  async ({ events, step }) => {
    const workspaceId = events[0]!.data.workspaceId;
    const contactIds = [...new Set(events.filter((event) => event.data.workspaceId === workspaceId).map((event) => event.data.contactId))];

    return step.run("enrich-batch", async () => {
      const db = await getDb();
      const found = await loadContactsToEnrich(db, { workspaceId, contactIds });
      const inputs = found.flatMap((contact) => (contact.email ? [{ contactId: contact.id, email: contact.email }] : []));
      const provider = createEnrichmentProvider();
      const results = await enrichOrRecordFailure(provider, inputs);
      const { saved, filled } = await saveContactEnrichments(db, { workspaceId, provider: provider.name, rows: results.map(toRow) });
      return {
        workspaceId,
        events: events.length,
        ignored: events.length - found.length,
        skipped: found.length - inputs.length,
        enriched: results.filter((result) => result.status === "enriched").length,
        failed: results.filter((result) => result.status === "failed").length,
        saved,
        filled,
      };
    });
  },
);
