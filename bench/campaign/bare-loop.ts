import { randomUUID } from "node:crypto";
import { renderCampaignEmail } from "@/lib/campaigns/render-campaign-email";
import { ProviderError } from "@/lib/providers/errors";
import type { EmailMessage } from "@/lib/providers/email/email-provider";
import type { ResendEmailProvider } from "@/lib/providers/email/resend/resend-email-provider";
import type { CompiledTemplate } from "@/lib/templates/compile-template";
import type { TemplateContact } from "@/lib/templates/template-variables";

export type BareLoopResult = { emails: number; seconds: number; requests: number; rateLimited: number };

/**
 * The campaign's work with nothing around it: each recipient's email rendered and tracked by the
 * campaign's own renderCampaignEmail, posted in batches through the same Resend provider, paced
 * in memory at the provider's rate (the pipeline's pacer is a database row), `lanes` batches on
 * their way at once. No engine, no database, no bookkeeping: what the pipeline costs on top of
 * this is what durability costs.
 */
export async function runBareLoop(params: {
  provider: ResendEmailProvider;
  compiled: CompiledTemplate;
  contacts: TemplateContact[];
  batchSize: number;
  requestsPerSecond: number;
  lanes: number;
  baseUrl: string;
  from: string;
  workspaceId: string;
}): Promise<BareLoopResult> {
  const campaignId = randomUUID();
  const costMs = 1_000 / params.requestsPerSecond;
  // The same slot arithmetic as takeProviderSlot, in memory.
  let nextAt = 0;
  const takeSlot = async () => {
    const now = performance.now();
    const slot = Math.max(nextAt, now - (params.requestsPerSecond >= 2 ? costMs : 0));
    nextAt = slot + costMs;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  };
  const result: BareLoopResult = { emails: 0, seconds: 0, requests: 0, rateLimited: 0 };
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < params.contacts.length) {
      const part = params.contacts.slice(next, next + params.batchSize);
      next += params.batchSize;
      const batch: EmailMessage[] = [];
      for (const contact of part) {
        const messageId = randomUUID();
        const email = await renderCampaignEmail(params.compiled, { messageId, baseUrl: params.baseUrl, contact });
        batch.push({ workspaceId: params.workspaceId, messageId, campaignId, from: params.from, to: contact.email!, replyTo: null, ...email });
      }
      const idempotencyKey = `bare-${campaignId}-${batch[0]!.messageId}`;
      for (;;) {
        await takeSlot();
        result.requests++;
        try {
          const sent = await params.provider.sendBatch(batch, { idempotencyKey });
          result.emails += sent.filter((r) => r.ok).length;
          break;
        } catch (error) {
          // As the pipeline's step retries do: a 429 waits its retry-after, a timeout or 5xx
          // retries the same batch under the same key (the fake answers a replay without sending).
          if (!(error instanceof ProviderError) || error.kind === "permanent") throw error;
          if (error.kind === "rate-limited") result.rateLimited++;
          await new Promise((resolve) => setTimeout(resolve, error.details.retryAfterMs ?? 1_000));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: params.lanes }, lane));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
