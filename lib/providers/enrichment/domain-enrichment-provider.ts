import { domainFacts } from "./email-domain";
import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from "./enrichment-provider";

/** The local default: derives domain and company from the address alone. No network, no account. */
export class DomainEnrichmentProvider implements EnrichmentProvider {
  readonly name = "domain";
  readonly maxBatchSize = 1_000;

  async enrich(contacts: readonly EnrichmentInput[]): Promise<EnrichmentResult[]> {
    return contacts.map(({ contactId, email }) => {
      const facts = domainFacts(email);
      return facts.ok
        ? { contactId, status: "enriched", domain: facts.domain, company: facts.company, isFreeMail: facts.isFreeMail }
        : { contactId, status: "failed", error: facts.reason };
    });
  }
}
