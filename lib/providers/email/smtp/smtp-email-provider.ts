import nodemailer, { type Mail } from "nodemailer";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { EmailBatchResult, EmailMessage, EmailProvider, EmailSendResult } from "@/lib/providers/email/email-provider";
import { sendlineHeaders } from "@/lib/providers/email/sendline-headers";
import { ProviderError } from "@/lib/providers/errors";
import { smtpProviderError } from "./smtp-provider-error";

export const SMTP_DEFAULT_MAX_CONNECTIONS = 5;
export const SMTP_DEFAULT_TIMEOUT_MS = 15_000;

export type SmtpEmailProviderOptions = {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://user:pass@host:465`. */
  url: string;
  maxConnections?: number;
  timeoutMs?: number;
};

/**
 * Email over SMTP through a pool of `maxConnections` connections (nodemailer's pooled
 * transport), which a batch's messages share. SMTP has no idempotency key: each message gets a
 * Message-ID made from its Sendline id, so a retried message carries the same Message-ID (which
 * receiving servers and threads treat as one message) and is stored under it as its provider id.
 * At-most-once rests on the caller's `messages` row and on the failover's pin, never on SMTP.
 */
export class SmtpEmailProvider implements EmailProvider {
  readonly name = "smtp";
  private readonly transport: Mail;

  constructor(options: SmtpEmailProviderOptions) {
    const url = new URL(options.url);
    const timeoutMs = options.timeoutMs ?? SMTP_DEFAULT_TIMEOUT_MS;
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? SMTP_DEFAULT_MAX_CONNECTIONS,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
      secure: url.protocol === "smtps:",
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
  }

  async send(message: EmailMessage): Promise<EmailSendResult> {
    return { providerMessageId: await this.deliver(message), provider: this.name };
  }

  /**
   * Every message goes out over the pool at once (the pool holds the rest in line). A message
   * the server refuses for good fails its own slot. A transient failure with nothing sent throws,
   * so the whole batch is retried (or taken by the next provider when SMTP certainly took none of
   * it); once some messages went out, a transient failure fails only its own slot, because
   * retrying the batch would send the others twice: SMTP cannot recognise a repeat.
   */
  async sendBatch(messages: EmailMessage[]): Promise<EmailBatchResult[]> {
    const settled = await Promise.allSettled(messages.map((message) => this.deliver(message)));
    const sentAny = settled.some((outcome) => outcome.status === "fulfilled");
    const errors = settled.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as ProviderError] : []));
    const transient = errors.filter((error) => error.kind !== "permanent");
    if (!sentAny && transient.length > 0) throw transient.find((error) => !error.details.notAccepted) ?? transient[0]!;
    return settled.map((outcome) =>
      outcome.status === "fulfilled"
        ? { ok: true, providerMessageId: outcome.value, provider: this.name }
        : { ok: false, error: (outcome.reason as Error).message },
    );
  }

  /** SMTP tells nothing after the server took a message; bounces come back as mail, not as a status. */
  async getStatus(_ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    return null;
  }

  close(): void {
    this.transport.close();
  }

  private async deliver(message: EmailMessage): Promise<string> {
    const messageId = smtpMessageId(message);
    try {
      await this.transport.sendMail({
        messageId,
        from: message.from,
        to: message.to,
        replyTo: message.replyTo ?? undefined,
        subject: message.subject,
        html: message.html,
        text: message.text,
        headers: sendlineHeaders(message),
      });
      return messageId;
    } catch (error) {
      throw error instanceof ProviderError ? error : smtpProviderError(error);
    }
  }
}

/** `<message id@sender's domain>`: the same for every attempt at one message. */
export function smtpMessageId(message: Pick<EmailMessage, "messageId" | "from">): string {
  const domain = /@([^\s@<>]+)>?\s*$/.exec(message.from)?.[1] ?? "sendline.invalid";
  return `<${message.messageId}@${domain}>`;
}
