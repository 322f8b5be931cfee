/** Every status a message can have; the database enum (db/schema/messaging.ts) is built from it. */
export const MESSAGE_STATUSES = [
  "queued",
  "sending",
  "sent",
  "delivered",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "failed",
  "suppressed",
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * The forward-only order of a message's life (invariant 4). A status may only move to a
 * later rank; terminal statuses never move again. Webhooks arrive late and out of order,
 * so "delivered" after "bounced" must be a no-op, not a rewind.
 */
const RANK: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  opened: 4,
  clicked: 5,
  // Terminal: outrank everything so nothing replaces them.
  bounced: 100,
  complained: 100,
  failed: 100,
  suppressed: 100,
};

export const TERMINAL_STATUSES: readonly MessageStatus[] = ["bounced", "complained", "failed", "suppressed"];

export function isTerminal(status: MessageStatus): boolean {
  return RANK[status] >= 100;
}

export function canAdvance(from: MessageStatus, to: MessageStatus): boolean {
  if (isTerminal(from)) return false;
  // A complaint after delivery/opened is real information: let it through.
  return RANK[to] > RANK[from];
}

/** Every status a message may be in for `to` to be a forward move; the conditional UPDATE uses it. */
export function predecessorsOf(to: MessageStatus): MessageStatus[] {
  return (Object.keys(RANK) as MessageStatus[]).filter((from) => canAdvance(from, to));
}
