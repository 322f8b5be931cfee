/** One contact to enrich. Providers see only the email, never the rest of the row. */
export type EnrichmentInput = { contactId: string; email: string };

/**
 * Per-contact outcome, one per input, same order. `failed` is for what a retry cannot fix for
 * this contact (no usable domain, the API rejected this domain); whole-call failures throw.
 */
export type EnrichmentResult =
  | { contactId: string; status: "enriched"; domain: string; company: string | null; isFreeMail: boolean }
  | { contactId: string; status: "failed"; error: string };

export interface EnrichmentProvider {
  /** "domain" | "http": recorded with each result. */
  readonly name: string;
  /** Most contacts one call should carry; the function's batch size never exceeds it. */
  readonly maxBatchSize: number;
  /**
   * Company and domain facts for a batch of contacts. Throws ProviderError for failures of the
   * whole call (rate-limited, misconfigured, unreachable).
   */
  enrich(contacts: readonly EnrichmentInput[]): Promise<EnrichmentResult[]>;
}
