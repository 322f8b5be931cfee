import { describe, expect, it } from "vitest";
import { createEnrichmentProvider } from "@/lib/providers/enrichment/create-enrichment-provider";
import { DomainEnrichmentProvider } from "@/lib/providers/enrichment/domain-enrichment-provider";
import { HttpEnrichmentProvider } from "@/lib/providers/enrichment/http-enrichment-provider";

describe("createEnrichmentProvider", () => {
  it.each([
    [{}, DomainEnrichmentProvider],
    [{ ENRICHMENT_API_URL: "" }, DomainEnrichmentProvider],
    [{ ENRICHMENT_API_URL: "https://enrich.example.com/v1/companies/{domain}" }, HttpEnrichmentProvider],
    [{ ENRICHMENT_API_URL: "https://enrich.example.com/v1", ENRICHMENT_API_KEY: "k" }, HttpEnrichmentProvider],
    [{ ENRICHMENT_API_URL: "https://enrich.example.com/v1", ENRICHMENT_PROVIDER: "domain" }, DomainEnrichmentProvider],
    [{ ENRICHMENT_API_URL: "https://enrich.example.com/v1", ENRICHMENT_PROVIDER: " HTTP " }, HttpEnrichmentProvider],
  ])("%j → %o", (env, expected) => {
    expect(createEnrichmentProvider(env)).toBeInstanceOf(expected);
  });

  it.each([
    [{ ENRICHMENT_PROVIDER: "clearbit" }, /not one of: domain, http/],
    [{ ENRICHMENT_PROVIDER: "http" }, /needs ENRICHMENT_API_URL/],
    [{ ENRICHMENT_API_URL: "file:///etc/passwd" }, /must be an http\(s\) URL/],
  ])("%j is refused at start-up", (env, message) => {
    expect(() => createEnrichmentProvider(env)).toThrow(message);
  });
});
