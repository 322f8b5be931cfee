import type { ProviderEnv } from "@/lib/providers/provider-env";
import { DomainEnrichmentProvider } from "./domain-enrichment-provider";
import type { EnrichmentProvider } from "./enrichment-provider";
import { HttpEnrichmentProvider } from "./http-enrichment-provider";

const ENRICHMENT_PROVIDERS = ["domain", "http"] as const;

/**
 * The HTTP API when ENRICHMENT_API_URL is set, otherwise the local domain provider, so a fresh
 * clone enriches offline. ENRICHMENT_PROVIDER=domain|http forces a choice. There is no switch
 * to let the HTTP provider reach private addresses: the SSRF policy is not configurable by env.
 */
export function createEnrichmentProvider(env: ProviderEnv = process.env): EnrichmentProvider {
  const forced = env.ENRICHMENT_PROVIDER?.trim().toLowerCase() || undefined;
  if (forced && !(ENRICHMENT_PROVIDERS as readonly string[]).includes(forced)) {
    throw new Error(`ENRICHMENT_PROVIDER="${env.ENRICHMENT_PROVIDER}" is not one of: ${ENRICHMENT_PROVIDERS.join(", ")}`);
  }
  const apiUrl = env.ENRICHMENT_API_URL?.trim();
  const choice = forced ?? (apiUrl ? "http" : "domain");
  if (choice === "domain") return new DomainEnrichmentProvider();
  if (!apiUrl) throw new Error("ENRICHMENT_PROVIDER=http needs ENRICHMENT_API_URL (unset ENRICHMENT_PROVIDER to derive from email domains)");
  if (!/^https?:\/\//i.test(apiUrl)) throw new Error(`ENRICHMENT_API_URL must be an http(s) URL, got "${apiUrl}"`);
  return new HttpEnrichmentProvider({ apiUrl, apiKey: env.ENRICHMENT_API_KEY?.trim() || undefined });
}
