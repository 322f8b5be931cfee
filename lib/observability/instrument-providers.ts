import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import { ProviderError } from "@/lib/providers/errors";
import type { PushProvider } from "@/lib/providers/push/push-provider";
import type { SmsProvider } from "@/lib/providers/sms/sms-provider";
import type { InAppProvider } from "@/lib/providers/in-app/in-app-provider";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { WhatsAppProvider } from "@/lib/providers/whatsapp/whatsapp-provider";
import { metrics } from "./metrics";
import type { Channel } from "@/core/messages/channels";


/** `rate-limited` → `rate_limited`: Prometheus label values in one style. */
function failureKind(error: unknown): string {
  return error instanceof ProviderError ? error.kind.replace("-", "_") : "unknown";
}

/**
 * One provider call, measured: its latency by outcome, its failure by kind (429s counted on
 * their own too), and a span when tracing is on (a no-op tracer otherwise).
 */
async function measured<T>(channel: Channel, provider: string, operation: string, call: () => Promise<T>): Promise<T> {
  const { providerRequestDuration, providerErrors, providerRateLimits } = metrics();
  const stop = providerRequestDuration.startTimer({ channel, provider, operation });
  return trace.getTracer("sendline").startActiveSpan(`${provider} ${operation}`, { attributes: { "sendline.channel": channel, "sendline.provider": provider } }, async (span) => {
    try {
      const result = await call();
      stop({ outcome: "ok" });
      return result;
    } catch (error) {
      const kind = failureKind(error);
      stop({ outcome: kind });
      providerErrors.inc({ channel, provider, kind });
      if (kind === "rate_limited") providerRateLimits.inc({ channel, provider });
      span.setStatus({ code: SpanStatusCode.ERROR, message: kind });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The same provider, with every call measured; what it does and returns is unchanged. */
export function instrumentEmailProvider(inner: EmailProvider): EmailProvider {
  const count = (status: "sent" | "failed", n = 1) => n > 0 && metrics().messages.inc({ channel: "email", provider: inner.name, status }, n);
  return {
    get name() {
      return inner.name;
    },
    async send(message, options) {
      try {
        const result = await measured("email", inner.name, "send", () => inner.send(message, options));
        count("sent");
        return result;
      } catch (error) {
        count("failed");
        throw error;
      }
    },
    async sendBatch(messages, options) {
      metrics().providerBatchSize.observe({ channel: "email", provider: inner.name }, messages.length);
      try {
        const results = await measured("email", inner.name, "send_batch", () => inner.sendBatch(messages, options));
        const sent = results.filter((result) => result.ok).length;
        count("sent", sent);
        count("failed", results.length - sent);
        return results;
      } catch (error) {
        count("failed", messages.length);
        throw error;
      }
    },
    getStatus(ref) {
      return measured("email", inner.name, "get_status", () => inner.getStatus(ref));
    },
  };
}

/** A provider that sends one message per call: SMS, WhatsApp, push, in-app. */
type OneByOneProvider = {
  readonly name: string;
  send(message: never, options: { idempotencyKey: string }): Promise<unknown>;
  getStatus?(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null>;
};

/** The same measures for every one-message-per-call channel: latency and failures per call, messages sent or failed. */
function instrumentOneByOne<P extends OneByOneProvider>(channel: Channel, inner: P): P {
  const count = (status: "sent" | "failed") => metrics().messages.inc({ channel, provider: inner.name, status });
  const getStatus = inner.getStatus?.bind(inner);
  return {
    get name() {
      return inner.name;
    },
    async send(message: never, options: { idempotencyKey: string }) {
      try {
        const result = await measured(channel, inner.name, "send", () => inner.send(message, options));
        count("sent");
        return result;
      } catch (error) {
        count("failed");
        throw error;
      }
    },
    ...(getStatus ? { getStatus: (ref: ProviderMessageRef) => measured(channel, inner.name, "get_status", () => getStatus(ref)) } : {}),
  } as unknown as P;
}

export const instrumentSmsProvider = (inner: SmsProvider): SmsProvider => instrumentOneByOne("sms", inner);
export const instrumentWhatsAppProvider = (inner: WhatsAppProvider): WhatsAppProvider => instrumentOneByOne("whatsapp", inner);
export const instrumentInAppProvider = (inner: InAppProvider): InAppProvider => instrumentOneByOne("in_app", inner);
/**
 * A push provider, measured per device call: latency and errors like the other channels, and what
 * each device's service answered (sendline_push_device_results_total). Messages are counted by
 * the caller, once per message, since one message goes to several devices.
 */
export function instrumentPushProvider(inner: PushProvider): PushProvider {
  return {
    get name() {
      return inner.name;
    },
    async send(notification, device, options) {
      try {
        const result = await measured("push", inner.name, "send", () => inner.send(notification, device, options));
        metrics().pushDeviceResults.inc({ provider: inner.name, result: "accepted" });
        return result;
      } catch (error) {
        const expired = error instanceof ProviderError && error.details.code === "push_subscription_expired";
        metrics().pushDeviceResults.inc({ provider: inner.name, result: expired ? "expired" : failureKind(error) });
        throw error;
      }
    },
  };
}
