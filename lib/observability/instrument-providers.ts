import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { EmailProvider } from "@/lib/providers/email/email-provider";
import { ProviderError } from "@/lib/providers/errors";
import type { SmsProvider } from "@/lib/providers/sms/sms-provider";
import { metrics } from "./metrics";

type Channel = "email" | "sms";

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

export function instrumentSmsProvider(inner: SmsProvider): SmsProvider {
  const count = (status: "sent" | "failed") => metrics().messages.inc({ channel: "sms", provider: inner.name, status });
  return {
    get name() {
      return inner.name;
    },
    async send(message, options) {
      try {
        const result = await measured("sms", inner.name, "send", () => inner.send(message, options));
        count("sent");
        return result;
      } catch (error) {
        count("failed");
        throw error;
      }
    },
    getStatus(ref) {
      return measured("sms", inner.name, "get_status", () => inner.getStatus(ref));
    },
  };
}
