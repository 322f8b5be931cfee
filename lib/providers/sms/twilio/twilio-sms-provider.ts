import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import { countSegments } from "@/lib/providers/sms/count-segments";
import type { SmsMessage, SmsProvider, SmsSendResult } from "@/lib/providers/sms/sms-provider";
import { type TwilioApiError, twilioProviderError } from "./twilio-provider-error";

export const TWILIO_DEFAULT_BASE_URL = "https://api.twilio.com";
export const TWILIO_DEFAULT_TIMEOUT_MS = 10_000;

export type TwilioSmsProviderOptions = {
  accountSid: string;
  authToken: string;
  /** An E.164 number, an alphanumeric sender id, or a Messaging Service SID (MG…). */
  from: string;
  baseUrl?: string;
  /** Twilio POSTs delivery updates here; messageId and workspaceId are added as query parameters. */
  statusCallbackUrl?: string;
  timeoutMs?: number;
};

/** The fields of Twilio's Message resource this provider reads. */
type TwilioMessage = { sid: string; status: string; num_segments?: string | null };

/** Twilio's Messages API over plain fetch: one form-encoded POST per message, no SDK needed. */
export class TwilioSmsProvider implements SmsProvider {
  readonly name = "twilio";
  private readonly messagesUrl: string;
  private readonly authorization: string;

  constructor(private readonly options: TwilioSmsProviderOptions) {
    const baseUrl = (options.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.messagesUrl = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages`;
    this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
  }

  async send(message: SmsMessage, options: { idempotencyKey: string }): Promise<SmsSendResult> {
    const from = message.from ?? this.options.from;
    const form = new URLSearchParams({ To: message.to, Body: message.body });
    form.set(from.startsWith("MG") ? "MessagingServiceSid" : "From", from);
    if (this.options.statusCallbackUrl) form.set("StatusCallback", statusCallbackFor(this.options.statusCallbackUrl, message));

    const created = await this.request<TwilioMessage>(`${this.messagesUrl}.json`, {
      method: "POST",
      body: form,
      // Twilio ignores it (see SmsProvider.send); the loopback fake counts repeats with it.
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": options.idempotencyKey },
    });
    const segments = Number(created.num_segments);
    return {
      providerMessageId: created.sid,
      segments: Number.isInteger(segments) && segments > 0 ? segments : countSegments(message.body).segments,
    };
  }

  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    try {
      const message = await this.request<TwilioMessage>(`${this.messagesUrl}/${encodeURIComponent(ref.providerMessageId)}.json`, {
        method: "GET",
      });
      return fromTwilioStatus(message.status);
    } catch (error) {
      if (error instanceof ProviderError && error.details.status === 404) return null;
      throw error;
    }
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

/** The callback carries our ids so it maps back even if the send step died before recording the SID. */
export function statusCallbackFor(baseUrl: string, message: Pick<SmsMessage, "messageId" | "workspaceId">): string {
  const url = new URL(baseUrl);
  url.searchParams.set("messageId", message.messageId);
  url.searchParams.set("workspaceId", message.workspaceId);
  return url.toString();
}

const TWILIO_STATUS: Record<string, ProviderMessageStatus> = {
  accepted: "sent",
  scheduled: "sent",
  queued: "sent",
  sending: "sent",
  sent: "sent",
  delivered: "delivered",
  partially_delivered: "delivered",
  read: "opened",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

function fromTwilioStatus(status: string): ProviderMessageStatus {
  return TWILIO_STATUS[status] ?? "sent";
}
