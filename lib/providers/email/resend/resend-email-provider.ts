import { type CreateBatchOptions, type CreateEmailOptions, Resend } from "resend";
import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { EmailBatchResult, EmailMessage, EmailProvider, EmailSendResult } from "@/lib/providers/email/email-provider";
import { SENDLINE_HEADERS, sendlineHeaders } from "@/lib/providers/email/sendline-headers";
import { type ResendApiError, resendProviderError } from "./resend-provider-error";

export { SENDLINE_HEADERS };

/** Resend's hard limit for `POST /emails/batch`. */
export const RESEND_BATCH_LIMIT = 100;
/** The SDK sets no timeout of its own; a hung call would hold an Inngest step until it dies. */
export const RESEND_DEFAULT_TIMEOUT_MS = 15_000;

export type ResendEmailProviderOptions = {
  apiKey: string;
  /** Defaults to the SDK's own choice: `RESEND_BASE_URL` from process.env, else https://api.resend.com. */
  baseUrl?: string;
  timeoutMs?: number;
};

export class ResendEmailProvider implements EmailProvider {
  readonly name = "resend";
  private readonly resend: Resend;
  private readonly timeoutMs: number;

  constructor(options: ResendEmailProviderOptions) {
    this.resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : undefined);
    this.timeoutMs = options.timeoutMs ?? RESEND_DEFAULT_TIMEOUT_MS;
  }

  async send(message: EmailMessage, options: { idempotencyKey: string }): Promise<EmailSendResult> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const result = await this.resend.emails.send(toResendEmail(message), { idempotencyKey: options.idempotencyKey, signal });
    if (result.error) throw resendProviderError(result.error as ResendApiError, result.headers, { timedOut: signal.aborted });
    return { providerMessageId: result.data.id, provider: this.name };
  }

  /**
   * Permissive validation: one malformed address fails its own slot, not the 99 others.
   * Resend's idempotency key covers the whole call, so a retried part must carry the same
   * messages under the same key (it then gets the first response back, sending nothing).
   */
  async sendBatch(messages: EmailMessage[], options: { idempotencyKey: string }): Promise<EmailBatchResult[]> {
    if (messages.length === 0) return [];
    if (messages.length > RESEND_BATCH_LIMIT) {
      throw new ProviderError(
        `resend: a batch holds at most ${RESEND_BATCH_LIMIT} emails, got ${messages.length}; split it before sending`,
        "permanent",
        { provider: "resend", code: "batch_too_large" },
      );
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    const payload: CreateBatchOptions = messages.map(toResendEmail);
    const result = await this.resend.batch.send(payload, {
      idempotencyKey: options.idempotencyKey,
      batchValidation: "permissive",
      signal,
    });
    if (result.error) throw resendProviderError(result.error as ResendApiError, result.headers, { timedOut: signal.aborted });
    return matchBatchResults(messages.length, result.data.data, result.data.errors ?? []);
  }

  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const result = await this.resend.emails.get(ref.providerMessageId, { signal });
    if (result.error) {
      if (result.error.statusCode === 404) return null;
      throw resendProviderError(result.error as ResendApiError, result.headers, { timedOut: signal.aborted });
    }
    return fromResendLastEvent(result.data.last_event);
  }
}

function toResendEmail(message: EmailMessage): CreateEmailOptions {
  const headers = sendlineHeaders(message);
  const tags = [
    { name: "message_id", value: tagValue(message.messageId) },
    { name: "workspace_id", value: tagValue(message.workspaceId) },
  ];
  if (message.campaignId) {
    tags.push({ name: "campaign_id", value: tagValue(message.campaignId) });
  }
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo ?? undefined,
    subject: message.subject,
    html: message.html,
    text: message.text,
    headers,
    tags,
  };
}

/** Resend rejects tag values outside [A-Za-z0-9_-]; our ids are UUIDs, this only guards the odd one. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);
}

/**
 * Permissive mode returns ids only for the emails it created, in request order, plus
 * `{ index, message }` for the rest; walk both to give every input its own slot.
 */
export function matchBatchResults(
  count: number,
  created: { id: string }[],
  errors: { index: number; message: string }[],
): EmailBatchResult[] {
  const failures = new Map(errors.map((error) => [error.index, error.message]));
  if (created.length + failures.size !== count) {
    throw new ProviderError(
      `resend: batch answer does not line up: ${count} sent, ${created.length} created, ${failures.size} rejected`,
      "permanent",
      { provider: "resend", code: "unexpected_response" },
    );
  }
  const ids = created.values();
  return Array.from({ length: count }, (_, index): EmailBatchResult => {
    const failure = failures.get(index);
    if (failure !== undefined) return { ok: false, error: failure };
    return { ok: true, providerMessageId: ids.next().value!.id, provider: "resend" };
  });
}

const LAST_EVENT_STATUS: Record<string, ProviderMessageStatus> = {
  queued: "sent",
  scheduled: "sent",
  sent: "sent",
  delivery_delayed: "sent",
  delivered: "delivered",
  opened: "opened",
  clicked: "clicked",
  bounced: "bounced",
  complained: "complained",
  failed: "failed",
  canceled: "failed",
  suppressed: "suppressed",
};

function fromResendLastEvent(lastEvent: string): ProviderMessageStatus {
  return LAST_EVENT_STATUS[lastEvent] ?? "sent";
}
