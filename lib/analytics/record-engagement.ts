import type { Db } from "@/db";
import { appendEngagementEvents, listClicksBetween, markFirstEngagement, rollUpEngagementEvents } from "@/db/queries/engagement-events";
import { findMessagesByIds, type Message } from "@/db/queries/messages";
import { recordClick, recordOpen } from "@/db/queries/tracking";
import { CLICK_BURST_SECONDS, prefetchTimingOf } from "@/core/analytics/classify-engagement";
import type { BounceKind, EngagementEventInput, EngagementSource, EngagementType, MachineReason } from "@/core/analytics/engagement";
import { metrics } from "@/lib/observability/metrics";

/**
 * Something that happened to a message, as a route, a webhook or a send step reports it. Only the
 * message's id is trusted from the report: its workspace, campaign, contact, channel and recipient
 * are read from the row (invariant 5).
 *
 * `applied` means the caller already changed the message (a webhook's status change, an inbox
 * "seen"), and says whether that made it opened/clicked for the first time; without it, a human
 * open or click is applied here (counters, first-open/click stamps, status forward only).
 */
export type EngagementFact = {
  messageId: string;
  type: EngagementType;
  source: EngagementSource;
  occurredAt: Date;
  /** Unique per workspace for this one happening (a webhook's delivery id, a pixel load's event id). */
  dedupeKey: string;
  machine?: MachineReason | null;
  url?: string | null;
  bounceKind?: BounceKind | null;
  client?: string | null;
  device?: string | null;
  os?: string | null;
  applied?: { firstOpen: boolean; firstClick: boolean };
};

export type RecordedEngagement = { recorded: number; duplicates: number; unknownMessages: number };

/** The domain of an email recipient (deliverability is read per mailbox provider); null for other channels. */
export function recipientDomain(message: Pick<Message, "channel" | "recipient">): string | null {
  if (message.channel !== "email") return null;
  const at = message.recipient.lastIndexOf("@");
  return at > 0 ? message.recipient.slice(at + 1).toLowerCase() : null;
}

/**
 * Appends a batch of facts to the engagement stream and keeps every rollup, in one transaction:
 * a fact whose dedupe key was seen before changes nothing (a redelivered webhook, a replayed
 * batch, a retried step), and a crash between the steps leaves nothing half counted.
 */
export async function recordEngagement(db: Db, facts: EngagementFact[]): Promise<RecordedEngagement> {
  if (facts.length === 0) return { recorded: 0, duplicates: 0, unknownMessages: 0 };
  const result = await db.transaction(async (tx) => {
    const messages = new Map((await findMessagesByIds(tx, { messageIds: [...new Set(facts.map((fact) => fact.messageId))] })).map((row) => [row.id, row]));
    const known = await withPrefetchTiming(tx, facts.filter((fact) => messages.has(fact.messageId)), messages);
    const rows: EngagementEventInput[] = known.map((fact) => {
      const message = messages.get(fact.messageId)!;
      return {
        workspaceId: message.workspaceId,
        messageId: message.id,
        campaignId: message.campaignId,
        contactId: message.contactId,
        channel: message.channel,
        type: fact.type,
        source: fact.source,
        occurredAt: fact.occurredAt,
        dedupeKey: fact.dedupeKey,
        machine: fact.machine ?? null,
        url: fact.url ?? null,
        recipientDomain: recipientDomain(message),
        bounceKind: fact.bounceKind ?? null,
        client: fact.client ?? null,
        device: fact.device ?? null,
        os: fact.os ?? null,
      };
    });
    const inserted = await appendEngagementEvents(tx, rows);
    const idsByKey = new Map(inserted.map((row) => [`${row.dedupeKey}`, row.id]));
    const firstOpen: number[] = [];
    const firstClick: number[] = [];
    for (const fact of known) {
      const id = idsByKey.get(fact.dedupeKey);
      // Two facts of one batch may share a key (a provider resending within the batch): the first one counts.
      if (id === undefined) continue;
      idsByKey.delete(fact.dedupeKey);
      const applied = fact.applied ?? (await applyHumanEngagement(tx, fact));
      if (applied?.firstOpen) firstOpen.push(id);
      if (applied?.firstClick) firstClick.push(id);
    }
    await markFirstEngagement(tx, { firstOpen, firstClick });
    await rollUpEngagementEvents(tx, inserted.map((row) => row.id));
    const insertedKeys = new Set(inserted.map((row) => row.dedupeKey));
    return {
      recorded: inserted.length,
      duplicates: known.length - inserted.length,
      unknownMessages: facts.length - known.length,
      appended: known.filter((fact) => insertedKeys.delete(fact.dedupeKey)),
    };
  });
  // Counted after the transaction, and only what was appended: a replay or redelivery adds nothing.
  // (A caller's outer transaction that later rolls back is the rare case this overcounts.)
  for (const fact of result.appended) metrics().engagementEvents.inc({ type: fact.type, source: fact.source, kind: fact.machine ? "machine" : "human" });
  return { recorded: result.recorded, duplicates: result.duplicates, unknownMessages: result.unknownMessages };
}

/**
 * Flags emailed opens and clicks that came too soon to be a person (core prefetchTimingOf): within
 * seconds of the send or delivery, or a click within a second of another click on the same message
 * (in this batch, or stored by an earlier one). Only facts this writer applies are judged: a caller
 * that already changed the message (`applied`) decided it was a person. Push and in-app messages
 * are seen the moment they arrive, so timing says nothing about them.
 */
async function withPrefetchTiming(db: Db, facts: EngagementFact[], messages: Map<string, Message>): Promise<EngagementFact[]> {
  const timed = (fact: EngagementFact) => !fact.machine && !fact.applied && (fact.type === "opened" || fact.type === "clicked") && messages.get(fact.messageId)?.channel === "email";
  const clicks = facts.filter((fact) => fact.type === "clicked");
  const times = clicks.filter(timed).map((fact) => fact.occurredAt.getTime());
  const burstMs = CLICK_BURST_SECONDS * 1000;
  const batchKeys = new Set(facts.map((fact) => fact.dedupeKey));
  const stored =
    times.length === 0
      ? []
      : (await listClicksBetween(db, { messageIds: [...new Set(clicks.filter(timed).map((fact) => fact.messageId))], from: new Date(Math.min(...times) - burstMs), to: new Date(Math.max(...times) + burstMs) }))
          // This batch's own facts, stored by an earlier attempt, are not other clicks.
          .filter((row) => !batchKeys.has(row.dedupeKey));
  return facts.map((fact) => {
    if (!timed(fact)) return fact;
    const message = messages.get(fact.messageId)!;
    const otherClicks = [...clicks.filter((other) => other.messageId === fact.messageId && other.dedupeKey !== fact.dedupeKey), ...stored.filter((row) => row.messageId === fact.messageId)].map((other) => other.occurredAt);
    const machine = prefetchTimingOf({ type: fact.type, occurredAt: fact.occurredAt, sentAt: message.sentAt, deliveredAt: message.deliveredAt, otherClicks });
    return machine ? { ...fact, machine } : fact;
  });
}

/** A person's open or click moves the message (counters, first stamps, status); machines and other types do not. */
async function applyHumanEngagement(db: Db, fact: EngagementFact): Promise<{ firstOpen: boolean; firstClick: boolean } | undefined> {
  if (fact.machine) return undefined;
  if (fact.type === "opened") {
    const applied = await recordOpen(db, { messageId: fact.messageId, at: fact.occurredAt });
    return applied && { firstOpen: applied.firstOpen, firstClick: false };
  }
  if (fact.type === "clicked") return recordClick(db, { messageId: fact.messageId, at: fact.occurredAt });
  return undefined;
}
