import { ProviderError } from "@/lib/providers/errors";

/** What nodemailer puts on its errors (its own codes; `originalCode` keeps the system error's). */
export type SmtpError = Error & {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
};

/** Failures before the connection was ready for a message: nothing of the message was written. */
const SETUP_TIMEOUTS = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** Nodemailer refused before talking to the server about this message, or the session never began. */
const BEFORE_MESSAGE = new Set(["EAUTH", "ENOAUTH", "ETLS", "EDNS", "EPROXY", "EENVELOPE", "EMESSAGE", "EREQUIRETLS"]);

/**
 * Maps a failed SMTP send onto what the caller should do. A reply code is the server's own
 * word: 5xx refuses this message for good (a bad recipient, a rejected sender or content),
 * 4xx asks to try later; either way the server did not take it. A failure to connect (refused,
 * unreachable, no greeting, bad credentials) happened before anything was written, so another
 * provider may send it. A timeout or a dropped connection at any later point is ambiguous: the
 * server may have queued the message after the final dot, so it is transient but not
 * `notAccepted`, and the message stays with SMTP.
 */
export function smtpProviderError(error: unknown): ProviderError {
  const err = error as SmtpError;
  const reason = err?.message ?? String(error);
  const details = { provider: "smtp", status: err?.responseCode, code: err?.code };
  const message = `smtp: ${reason}`;
  if (err?.code === "EAUTH" || err?.code === "ENOAUTH") {
    // Wrong credentials are the account's problem, not a recipient's: the provider is unusable.
    return new ProviderError(message, "transient", { ...details, notAccepted: true });
  }
  if (typeof err?.responseCode === "number" && err.responseCode >= 400) {
    // 503 "bad sequence" is the session's fault, not the message's (nodemailer's own rule).
    const permanent = err.responseCode >= 500 && err.responseCode !== 503;
    return new ProviderError(message, permanent ? "permanent" : "transient", { ...details, notAccepted: true });
  }
  if (err?.code === "ETIMEDOUT" && SETUP_TIMEOUTS.has(err.timeoutType ?? "")) {
    return new ProviderError(message, "transient", { ...details, notAccepted: true });
  }
  if (UNREACHABLE.has(err?.originalCode ?? "") || UNREACHABLE.has(err?.code ?? "") || BEFORE_MESSAGE.has(err?.code ?? "")) {
    return new ProviderError(message, err?.code === "EENVELOPE" || err?.code === "EMESSAGE" ? "permanent" : "transient", { ...details, notAccepted: true });
  }
  return new ProviderError(message, "transient", { ...details, notAccepted: false });
}
