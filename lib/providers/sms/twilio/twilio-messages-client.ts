import { ProviderError } from "@/lib/providers/errors";
import { type TwilioApiError, twilioProviderError } from "./twilio-provider-error";

export const TWILIO_DEFAULT_BASE_URL = "https://api.twilio.com";
export const TWILIO_DEFAULT_TIMEOUT_MS = 10_000;

export type TwilioCredentials = { accountSid: string; authToken: string; baseUrl?: string; timeoutMs?: number };

/** The fields of Twilio's Message resource Sendline reads. */
export type TwilioMessage = { sid: string; status: string; num_segments?: string | null };

/**
 * Twilio's Messages API (2010-04-01) over plain fetch, shared by the SMS and WhatsApp senders:
 * Basic auth, form-encoded creates, Twilio's errors as ProviderErrors.
 */
export class TwilioMessagesClient {
  private readonly messagesUrl: string;
  private readonly authorization: string;

  constructor(private readonly options: TwilioCredentials) {
    const baseUrl = (options.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.messagesUrl = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages`;
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
  }

  create(form: URLSearchParams, idempotencyKey: string): Promise<TwilioMessage> {
    return this.request<TwilioMessage>(`${this.messagesUrl}.json`, {
      method: "POST",
      body: form,
      // Twilio ignores it (no idempotency on the Messages API); the loopback fake counts repeats with it.
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": idempotencyKey },
    });
  }

  fetchMessage(sid: string): Promise<TwilioMessage> {
    return this.request<TwilioMessage>(`${this.messagesUrl}/${encodeURIComponent(sid)}.json`, { method: "GET" });
  }

  private async request<T>(url: string, init: RequestInit): Promise<T> {
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? TWILIO_DEFAULT_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal, headers: { ...init.headers, Authorization: this.authorization } });
    } catch (error) {
      if (signal.aborted) throw new ProviderError("twilio: request timed out", "transient", { provider: "twilio", code: "timeout" });
      throw new ProviderError(`twilio: ${(error as Error).message}`, "transient", { provider: "twilio", code: "network" });
    }
    const text = await response.text().catch(() => "");
    const body = parseJson(text);
    if (!response.ok) throw twilioProviderError(response.status, body as TwilioApiError | null, response.headers.get("retry-after"));
    if (!body) throw new ProviderError("twilio: response was not JSON", "transient", { provider: "twilio", status: response.status });
    return body as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
