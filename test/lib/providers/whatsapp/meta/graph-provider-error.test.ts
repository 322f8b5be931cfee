import { describe, expect, it } from "vitest";
import { graphProviderError } from "@/lib/providers/whatsapp/meta/graph-provider-error";

const body = (code: number, message = "m", details?: string) => ({ error: { message, type: "OAuthException", code, ...(details ? { error_data: { details } } : {}), fbtrace_id: "x" } });

describe("graphProviderError", () => {
  it.each([
    ["an unknown template", 400, 132001, "permanent"],
    ["a wrong parameter count", 400, 132000, "permanent"],
    ["a paused template", 400, 132015, "permanent"],
    ["a closed 24-hour window", 400, 131047, "permanent"],
    ["an invalid parameter", 400, 100, "permanent"],
    ["a bad token", 401, 190, "permanent"],
    ["the number's throughput", 400, 130429, "rate-limited"],
    ["the pair rate limit", 400, 131056, "rate-limited"],
    ["a 429", 429, 4, "rate-limited"],
    ["Meta's 'something went wrong'", 400, 131000, "transient"],
    ["a 500", 500, 1, "transient"],
    ["a 503", 503, 2, "transient"],
  ])("treats %s (HTTP %i, code %i) as %s", (_, status, code, kind) => {
    expect(graphProviderError(status, body(code)).kind).toBe(kind);
  });

  it("words Meta's reason, details and code, and never names a token", () => {
    const error = graphProviderError(400, body(132000, "Number of parameters does not match the expected number of params", "body: expected 2"));
    expect(error.message).toBe("whatsapp: Number of parameters does not match the expected number of params: body: expected 2 (code 132000)");
    expect(error.details).toMatchObject({ provider: "meta", status: 400, code: "132000", notAccepted: true });
  });

  it("waits a second on a rate limit without Retry-After, and as long as one says", () => {
    expect(graphProviderError(429, body(130429)).details.retryAfterMs).toBe(1_000);
    expect(graphProviderError(429, body(130429), "3").details.retryAfterMs).toBe(3_000);
  });

  it("copes with a body that is not Graph's", () => {
    expect(graphProviderError(502, null)).toMatchObject({ kind: "transient", message: "whatsapp: HTTP 502" });
  });
});
