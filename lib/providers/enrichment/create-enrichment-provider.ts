import { ConfigError, type Env, envValue } from "@/core/config/env";
import { DomainEnrichmentProvider } from "./domain-enrichment-provider";
import type { EnrichmentProvider } from "./enrichment-provider";
import { HttpEnrichmentProvider } from "./http-enrichment-provider";

/**
 * The HTTP API when ENRICHMENT_API_URL is set, otherwise the local domain provider, so a fresh
 * clone enriches offline. ENRICHMENT_PROVIDER=domain|http forces a choice. There is no switch
 * to let the HTTP provider reach private addresses: the SSRF policy is not configurable by env.
 */
export function createEnrichmentProvider(env: Env = process.env): EnrichmentProvider {
  const apiUrl = envValue("ENRICHMENT_API_URL", env);
  const choice = envValue("ENRICHMENT_PROVIDER", env) ?? (apiUrl ? "http" : "domain");
  if (choice === "domain") return new DomainEnrichmentProvider();
  if (!apiUrl) throw new ConfigError("ENRICHMENT_PROVIDER=http needs ENRICHMENT_API_URL (unset ENRICHMENT_PROVIDER to derive from email domains)", "ENRICHMENT_API_URL");
  return new HttpEnrichmentProvider({ apiUrl, apiKey: envValue("ENRICHMENT_API_KEY", env) });
}
