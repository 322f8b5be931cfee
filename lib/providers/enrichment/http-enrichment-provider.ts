import { z } from "zod";
import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";
import { SafeFetchError, type SafeFetchOptions, safeFetch } from "@/lib/security/ssrf-guard";
import { companyNameFromDomain, domainFacts } from "./email-domain";
import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from "./enrichment-provider";

export type HttpEnrichmentOptions = {
  /** `https://api.example.com/companies/{domain}`, or a URL to which `?domain=` is added. */
  apiUrl: string;
  apiKey?: string;
  /** Requests in flight at once within one batch. */
  concurrency?: number;
  /** Only tests pass isAllowedAddress/resolve, to reach a loopback fake. */
  fetchOptions?: SafeFetchOptions;
};

/** What the API answers for a known domain; unknown fields are ignored. */
const companyResponse = z.object({ name: z.string().trim().max(200).nullish() });

/** A 429 without Retry-After: one second is enough for per-second limits and cheap otherwise. */
export const ENRICHMENT_DEFAULT_RETRY_AFTER_MS = 1_000;
const DEFAULT_CONCURRENCY = 4;
const HTTP_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

type DomainLookup = { ok: true; company: string } | { ok: false; error: string };

/**
 * A company-data API queried by domain, through the SSRF guard. Free-mail domains and
 * addresses without a usable domain never leave the process; each distinct domain in a batch
 * is asked once. A domain the API does not know keeps the name derived from the domain.
 */
export class HttpEnrichmentProvider implements EnrichmentProvider {
  readonly name = "http";
  readonly maxBatchSize = 100;

  constructor(private readonly options: HttpEnrichmentOptions) {}

  async enrich(contacts: readonly EnrichmentInput[]): Promise<EnrichmentResult[]> {
    const facts = contacts.map((contact) => ({ contact, facts: domainFacts(contact.email) }));
    const domains = [...new Set(facts.flatMap(({ facts: f }) => (f.ok && !f.isFreeMail ? [f.domain] : [])))];
    const lookups = new Map<string, DomainLookup>();
    const queue = [...domains];
    const worker = async () => {
      for (let domain = queue.shift(); domain !== undefined; domain = queue.shift()) lookups.set(domain, await this.lookup(domain));
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? DEFAULT_CONCURRENCY, queue.length) }, worker));

    return facts.map(({ contact: { contactId }, facts: f }): EnrichmentResult => {
      if (!f.ok) return { contactId, status: "failed", error: f.reason };
      if (f.isFreeMail) return { contactId, status: "enriched", domain: f.domain, company: null, isFreeMail: true };
      const found = lookups.get(f.domain)!;
      return found.ok
        ? { contactId, status: "enriched", domain: f.domain, company: found.company, isFreeMail: false }
        : { contactId, status: "failed", error: found.error };
    });
  }

  private urlFor(domain: string): string {
    const { apiUrl } = this.options;
    if (apiUrl.includes("{domain}")) return apiUrl.replaceAll("{domain}", encodeURIComponent(domain));
    const url = new URL(apiUrl);
    url.searchParams.set("domain", domain);
    return url.toString();
  }

  private async lookup(domain: string): Promise<DomainLookup> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const details = { provider: this.name };
    let response;
    try {
      response = await safeFetch(this.urlFor(domain), { headers }, { timeoutMs: HTTP_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES, ...this.options.fetchOptions });
    } catch (error) {
      if (!(error instanceof SafeFetchError)) throw error;
      if (error.code === "timeout" || error.code === "network") {
        throw new ProviderError(`enrichment API: ${error.message}`, "transient", { ...details, code: error.code });
      }
      return { ok: false, error: `enrichment API request refused: ${error.message}` };
    }
    const { status } = response;
    if (status === 404) return { ok: true, company: companyNameFromDomain(domain) };
    if (status === 429) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after")) ?? ENRICHMENT_DEFAULT_RETRY_AFTER_MS;
      throw new ProviderError("enrichment API: rate limited", "rate-limited", { ...details, status, retryAfterMs });
    }
    if (status === 401 || status === 403) throw new ProviderError(`enrichment API: ${status} (check ENRICHMENT_API_KEY)`, "permanent", { ...details, status });
    if (status === 408 || status >= 500) throw new ProviderError(`enrichment API: ${status}`, "transient", { ...details, status });
    if (status !== 200) return { ok: false, error: `enrichment API answered ${status} for ${domain}` };
    let body: unknown;
    try {
      body = response.json();
    } catch {
      return { ok: false, error: "enrichment API answered with invalid JSON" };
    }
    const parsed = companyResponse.safeParse(body);
    if (!parsed.success) return { ok: false, error: "enrichment API answered with an unexpected shape" };
    return { ok: true, company: parsed.data.name || companyNameFromDomain(domain) };
  }
}
