import { ProviderError } from "@/lib/providers/errors";
import { parseRetryAfterMs } from "@/lib/providers/retry-after";
import { MailboxAuthError } from "../mailbox-source";

/** When Google asks for a pause without saying how long. */
const GMAIL_DEFAULT_RETRY_AFTER_MS = 30_000;
/** 403 reasons that mean this token may not read this mailbox: no retry changes that. */
const REFUSED_REASONS = new Set(["insufficientPermissions", "forbidden", "domainPolicy", "authError"]);
/** 403 reasons that are Gmail's usage limits (it answers some with 403 rather than 429). */
const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

type GaxiosLike = {
  status?: number;
  response?: { status?: number; data?: unknown; headers?: Headers | Record<string, string> };
};

/** The HTTP status of a failed library call, if Google answered at all. */
export function gmailStatus(error: unknown): number | undefined {
  const e = error as GaxiosLike | null;
  return e?.response?.status ?? (typeof e?.status === "number" ? e.status : undefined);
}

function header(headers: Headers | Record<string, string> | undefined, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  return (headers as Record<string, string>)[name] ?? null;
}

/** Google's error body: the token endpoint's `{error, error_description}` or the API's `{error: {message, errors: [{reason}]}}`. */
function body(error: unknown): { tokenError?: string; description?: string; reason?: string; message?: string } {
  const data = (error as GaxiosLike | null)?.response?.data;
  if (!data || typeof data !== "object") return {};
  const inner = (data as { error?: unknown; error_description?: unknown }).error;
  if (typeof inner === "string") return { tokenError: inner, description: String((data as { error_description?: unknown }).error_description ?? "") };
  const apiError = inner as { message?: unknown; errors?: { reason?: unknown }[] } | undefined;
  return { message: typeof apiError?.message === "string" ? apiError.message : undefined, reason: String(apiError?.errors?.[0]?.reason ?? "") || undefined };
}

/**
 * What a failed Gmail or token-endpoint call means for the sync: the token endpoint refusing the
 * refresh token (`invalid_grant`: revoked, expired, the password changed) or the API refusing
 * a token it has just been given → MailboxAuthError, so the connection waits for a reconnect;
 * a usage limit → a rate-limited ProviderError carrying Retry-After; a 5xx → a transient one.
 * The message is Google's own words, never a token.
 */
export function gmailFailure(error: unknown, what: string): unknown {
  const status = gmailStatus(error);
  if (status === undefined) return error;
  const { tokenError, description, reason, message } = body(error);
  if (tokenError) {
    if (status >= 400 && status < 500 && status !== 429) return new MailboxAuthError(`${tokenError}${description ? `: ${description}` : ""}`, { cause: error });
    return new ProviderError(`gmail: the token endpoint answered ${status}`, "transient", { provider: "gmail", status });
  }
  const said = `gmail: ${what} answered ${status}${message ? ` (${message})` : ""}`;
  if (status === 401 || (status === 403 && reason !== undefined && REFUSED_REASONS.has(reason))) return new MailboxAuthError(said.replace(/^gmail: /, ""), { cause: error });
  if (status === 429 || (status === 403 && reason !== undefined && RATE_LIMIT_REASONS.has(reason))) {
    const retryAfterMs = parseRetryAfterMs(header((error as GaxiosLike).response?.headers, "retry-after")) ?? GMAIL_DEFAULT_RETRY_AFTER_MS;
    return new ProviderError(said, "rate-limited", { provider: "gmail", status, retryAfterMs });
  }
  if (status >= 500) return new ProviderError(said, "transient", { provider: "gmail", status });
  return new ProviderError(said, "permanent", { provider: "gmail", status, code: reason });
}
