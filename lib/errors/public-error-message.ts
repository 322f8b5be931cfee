import { randomBytes } from "node:crypto";
import { logger } from "@/lib/observability/logger";

/**
 * An error whose message was written for the person who will read it (a campaign's status
 * reason, a message's error, an API body). Throw it — or give it as the `cause` of Inngest's
 * NonRetriableError — for a failure the user should see in words.
 */
export class PublicError extends Error {
  override readonly name = "PublicError";
}

/**
 * Errors whose messages are user-facing by construction: template problems name the variable,
 * import file errors say what is wrong with the file, a missing setting names the variable (never
 * a value), storage failures say only what kind of failure (storage-error.ts), and provider refusals carry the provider's reason. Matched by name, not class, because Inngest hands failure handlers a deserialized copy.
 */
const PUBLIC_ERROR_NAMES = new Set(["PublicError", "TemplateError", "ImportFileError", "ImportFailedError", "ConfigError", "UndeliverableError", "WebhookPayloadError", "StorageError", "FileTooLargeError"]);
/** A provider refusing for good, or asking to slow down, says why in its own terms; an outage's message may carry network internals. */
const PUBLIC_PROVIDER_KINDS = new Set(["permanent", "rate-limited"]);
const MAX_CAUSE_DEPTH = 5;

type ErrorLike = { name?: unknown; message?: unknown; kind?: unknown; cause?: unknown; stack?: unknown };

const isErrorLike = (value: unknown): value is ErrorLike => typeof value === "object" && value !== null;

/** The error in `error`'s cause chain whose message may be shown as it is, if any. */
function publicError(error: unknown): (ErrorLike & { message: string }) | null {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && isErrorLike(current); depth++) {
    const { name, message, kind } = current;
    if (typeof message === "string" && message) {
      if (typeof name === "string" && PUBLIC_ERROR_NAMES.has(name)) return { ...current, message };
      if (name === "ProviderError" && typeof kind === "string" && PUBLIC_PROVIDER_KINDS.has(kind)) return { ...current, message };
    }
    current = current.cause;
  }
  return null;
}

/** Whether publicErrorMessage would show this error's own words. */
export function isPublicError(error: unknown): boolean {
  return publicError(error) !== null;
}

function describe(error: unknown, depth = 0): Record<string, unknown> {
  if (!isErrorLike(error)) return { message: String(error) };
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) described.cause = describe(error.cause, depth + 1);
  return described;
}

/**
 * Logs an internal error as one JSON line under a fresh id, and returns the id. The detail (SQL,
 * parameters, stack) stays in the log; the id is what a user can quote.
 */
export function logInternalError(error: unknown, context: Record<string, unknown>): string {
  const errorId = randomBytes(6).toString("hex");
  logger.error({ errorId, ...context, error: describe(error) }, "internal error");
  return errorId;
}

/**
 * What a user may read about an error. Known user-facing errors (see PUBLIC_ERROR_NAMES,
 * provider refusals, PublicError anywhere in the cause chain) keep their message; anything else
 * — a database error with its SQL and parameters, a bug's TypeError — becomes
 * "Internal error (id …)", with the detail logged under the same id. Every place that copies an
 * error into a status reason, a message's error or an API body goes through this.
 */
export function publicErrorMessage(error: unknown, context: Record<string, unknown> = {}): string {
  const found = publicError(error);
  if (found) return found.message;
  return `Internal error (id ${logInternalError(error, context)})`;
}
