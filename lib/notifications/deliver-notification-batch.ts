import { createHash } from "node:crypto";
import type { Db } from "@/db";
import { recordMessageAttempts } from "@/db/queries/message-attempts";
import { advanceMessageStatus, claimMessagesForSend, findMessagesByIds, findUnsentMessagesBySendKey, type Message } from "@/db/queries/messages";
import { publicErrorMessage } from "@/lib/errors/public-error-message";
import { logger } from "@/lib/observability/logger";
import { keyAlreadyUsed, ProviderError } from "@/lib/providers/errors";
import type { EmailMessage } from "@/lib/providers/email/email-provider";
import type { RenderedEmail } from "@/lib/templates/compile-template";
import { countSegments } from "@/lib/providers/sms/count-segments";
import { deliverMessage, failedAttempt, type Providers, senderOf } from "./deliver-message";
import { recordMessagesSent } from "./record-message-sent";
import { prepareMessage } from "./prepare-message";

export type MessageRef = { workspaceId: string; messageId: string };

export type BatchOutcome = {
  sent: number;
  suppressed: number;
  failed: number;
  skipped: number;
  /** The provider answered 429: what is claimed waits until then and goes again, unchanged. */
  retryAt: string | null;
  /** Messages left for the next step: SMS pacing ran past this step's deadline. */
  more: boolean;
};

export type BatchPacing = {
  /** Waits for an email call's slot when the caller's own (taken before the step) is spent. */
  emailSlot: () => Promise<void>;
  /** Waits for one SMS's turn at its sender, `segments` wide. */
  smsSlot: (segments: number) => Promise<void>;
  /** Epoch ms after which no further SMS is started in this step. */
  smsDeadline: number;
};

/**
 * Sends a batch of transactional messages: the emails in as few provider calls as their keys
 * allow (normally one, of up to 100), each SMS in its own paced call. At most once per message:
 * a message is claimed, with the key of its call, before the call; a retry finds it "sending"
 * with that key and sends every message still open under that key (the same group, from the
 * database rather than the batch) under the same key, which the provider answers from its
 * idempotency store. A message that an earlier call may have carried keeps that call's key for
 * good, so even a dead letter retried days later is not sent twice by a provider that took it.
 */
/** `attempt`: the run's attempt (1 = first), kept in each message's attempt history. */
export async function deliverNotificationBatch(
  db: Db,
  providers: Providers,
  params: { requests: MessageRef[]; pacing: BatchPacing; attempt?: number },
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { sent: 0, suppressed: 0, failed: 0, skipped: 0, retryAt: null, more: false };
  const rows = new Map((await findMessagesByIds(db, { messageIds: params.requests.map((r) => r.messageId) })).map((row) => [row.id, row]));
  const emails: { message: Message; rendered: RenderedEmail }[] = [];
  const prepare = async (row: Message, counted: boolean) => {
    const prepared = await prepareMessage(db, row);
    if (prepared.outcome === "ready" && prepared.rendered.channel === "email") emails.push({ message: prepared.message, rendered: prepared.rendered });
    else if (prepared.outcome !== "ready" && counted) count(outcome, prepared.outcome);
  };
  // Every other channel sends one message per provider call.
  const singles: MessageRef[] = [];
  const storedKeys = new Set<string>();
  for (const request of params.requests) {
    const row = rows.get(request.messageId);
    // The event is not trusted for the workspace (invariant 5): a mismatch is dropped, loudly.
    if (!row || row.workspaceId !== request.workspaceId) {
      logger.warn({ ...request }, "notifications: message does not exist in the event's workspace; not sent");
      outcome.skipped++;
      continue;
    }
    rows.delete(request.messageId);
    if (row.channel !== "email") singles.push(request);
    else if (row.sendKey && (row.status === "queued" || row.status === "sending")) storedKeys.add(row.sendKey);
    else await prepare(row, true);
  }
  // A message claimed for an earlier call goes out again with every message of that call still
  // open, from whichever batch they are in: after a crash the engine may hand a run's events back
  // split over several batches, and the first call to reach the provider under a key must be the
  // whole call, or the provider refuses the rest as a changed request and they would never go.
  const requested = new Set(params.requests.map((request) => request.messageId));
  for (const key of storedKeys) {
    for (const holder of await findUnsentMessagesBySendKey(db, { sendKey: key })) await prepare(holder, requested.has(holder.id));
  }

  let firstCall = true;
  for (const group of callGroups(emails)) {
    if (!firstCall) await params.pacing.emailSlot();
    firstCall = false;
    const result = await sendEmailGroup(db, providers, group, params.attempt);
    if ("retryAt" in result) return { ...outcome, retryAt: result.retryAt };
    outcome.sent += result.sent;
    outcome.failed += result.failed;
    outcome.skipped += result.skipped;
  }

  for (const [index, request] of singles.entries()) {
    if (Date.now() > params.pacing.smsDeadline) return { ...outcome, more: index < singles.length };
    try {
      const delivered = await deliverMessage(db, providers, { ...request, attempt: params.attempt }, {
        pace: async (rendered) => {
          if (rendered.channel === "sms") await params.pacing.smsSlot(smsSegments(rendered.text));
        },
      });
      count(outcome, delivered.outcome);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === "rate-limited") return { ...outcome, retryAt: retryAtOf(error) };
      throw error;
    }
  }
  return outcome;
}

type CallGroup = { key: string; emails: { message: Message; rendered: RenderedEmail }[] };

/**
 * Messages that already carry a key go out again in that call's group; the rest form one new
 * call whose key is derived from its messages, so a retried step rebuilds the same key.
 */
export function callGroups(emails: { message: Message; rendered: RenderedEmail }[]): CallGroup[] {
  const groups = new Map<string, CallGroup["emails"]>();
  const fresh: CallGroup["emails"] = [];
  for (const email of emails) {
    if (email.message.sendKey) groups.set(email.message.sendKey, [...(groups.get(email.message.sendKey) ?? []), email]);
    else fresh.push(email);
  }
  const ordered = (list: CallGroup["emails"]) => [...list].sort((a, b) => (a.message.id < b.message.id ? -1 : 1));
  const result = [...groups].map(([key, list]) => ({ key, emails: ordered(list) }));
  if (fresh.length > 0) {
    const list = ordered(fresh);
    const digest = createHash("sha256").update(list.map((e) => e.message.id).join(",")).digest("hex").slice(0, 40);
    result.push({ key: `notify-${digest}`, emails: list });
  }
  return result;
}

async function sendEmailGroup(
  db: Db,
  providers: Providers,
  group: CallGroup,
  attempt: number | undefined,
): Promise<{ sent: number; failed: number; skipped: number } | { retryAt: string }> {
  const refs = group.emails.map(({ message }) => ({ workspaceId: message.workspaceId, messageId: message.id }));
  const claimed = await claimMessagesForSend(db, { messages: refs, sendKey: group.key });
  const batch = group.emails.filter(({ message }) => claimed.has(message.id));
  const result = { sent: 0, failed: 0, skipped: group.emails.length - batch.length };
  if (batch.length === 0) return result;
  const senders = new Map<string, string>();
  const messages: EmailMessage[] = [];
  for (const { message, rendered } of batch) {
    if (!senders.has(message.workspaceId)) senders.set(message.workspaceId, await senderOf(db, { workspaceId: message.workspaceId, request: { data: {} } }));
    messages.push({
      workspaceId: message.workspaceId,
      messageId: message.id,
      from: message.request.from ?? senders.get(message.workspaceId)!,
      to: message.recipient,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    });
  }

  let slots;
  try {
    slots = await providers.email.sendBatch(messages, { idempotencyKey: group.key });
  } catch (error) {
    // Every failed call goes into the history a dead letter shows, whatever happens next.
    await recordMessageAttempts(
      db,
      batch.map(({ message }) => failedAttempt(error, { workspaceId: message.workspaceId, messageId: message.id, provider: null, attempt })),
    );
    if (!(error instanceof ProviderError)) throw error;
    if (error.kind === "rate-limited") return { retryAt: retryAtOf(error) };
    if (keyAlreadyUsed(error)) {
      // The key's first call was taken (a provider stores only answered calls), but this group is
      // not what it carried: a message of it has since been settled (sent, suppressed, failed).
      // A key's first call carries every message claimed for it, so what remains was in that
      // call and went out; the provider's webhooks bring its id.
      await recordMessagesSent(
        db,
        batch.map(({ message, rendered }) => ({ workspaceId: message.workspaceId, messageId: message.id, set: { provider: error.details.provider, subject: rendered.subject } })),
      );
      logger.warn({ sendKey: group.key, messages: batch.length }, "notifications: a retried call's key was already used; its messages count as sent");
      return { ...result, sent: batch.length };
    }
    if (error.kind !== "permanent") throw error;
    const reason = publicErrorMessage(error, { where: "send-notification", sendKey: group.key });
    for (const { message } of batch) await advanceMessageStatus(db, { workspaceId: message.workspaceId, messageId: message.id, to: "failed", set: { error: reason } });
    return { ...result, failed: batch.length };
  }
  await recordMessageAttempts(
    db,
    slots.map((slot, index) => {
      const { message } = batch[index]!;
      const ids = { workspaceId: message.workspaceId, messageId: message.id, attempt };
      return slot.ok ? { ...ids, provider: slot.provider, outcome: "sent" as const } : { ...ids, provider: null, outcome: "failed" as const, error: slot.error };
    }),
  );
  const sent = slots.flatMap((slot, index) => {
    const { message, rendered } = batch[index]!;
    return slot.ok ? [{ workspaceId: message.workspaceId, messageId: message.id, set: { provider: slot.provider, providerMessageId: slot.providerMessageId, subject: rendered.subject } }] : [];
  });
  await recordMessagesSent(db, sent);
  result.sent += sent.length;
  for (const [index, slot] of slots.entries()) {
    const { message } = batch[index]!;
    const ids = { workspaceId: message.workspaceId, messageId: message.id };
    if (!slot.ok) {
      await advanceMessageStatus(db, { ...ids, to: "failed", set: { error: slot.error } });
      result.failed++;
    }
  }
  return result;
}

function count(outcome: BatchOutcome, what: "sent" | "suppressed" | "failed" | "skipped"): void {
  outcome[what]++;
}

function retryAtOf(error: ProviderError): string {
  return new Date(Date.now() + (error.details.retryAfterMs ?? 1_000)).toISOString();
}

function smsSegments(text: string): number {
  return countSegments(text).segments;
}
