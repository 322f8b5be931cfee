import { SafeFetchError, safeFetch } from "@/lib/security/ssrf-guard";

export const JOURNEY_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs a journey step's JSON to its URL through the SSRF guard (public addresses only, each
 * redirect re-checked, a deadline and a size cap). A 2xx passes; a refused address passes with
 * the reason recorded (a retry cannot change it, and the contact should not be stuck); a 5xx,
 * 429 or network error is thrown for the step to retry. Other 4xx pass with their status.
 */
export async function callJourneyWebhook(url: string, payload: Record<string, unknown>): Promise<{ status: number } | { refused: string }> {
  try {
    const response = await safeFetch(
      url,
      { method: "POST", headers: { "content-type": "application/json", "user-agent": "Sendline-Journeys/1" }, body: JSON.stringify(payload) },
      { timeoutMs: JOURNEY_WEBHOOK_TIMEOUT_MS, maxResponseBytes: 64 * 1024 },
    );
    if (response.status >= 500 || response.status === 429) throw new Error(`webhook answered ${response.status}`);
    return { status: response.status };
  } catch (error) {
    if (error instanceof SafeFetchError && error.code === "blocked") return { refused: error.message };
    throw error;
  }
}
