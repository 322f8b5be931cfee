import { MAILBOX_SNIPPET_CHARS } from "./mailbox-limits";
import { recencyScore } from "./relationship-strength";

/** Messages shown to the model (and the heuristics) per relationship summary: the newest. */
export const RELATIONSHIP_SUMMARY_MESSAGES = 10;

/**
 * One relationship as the summary reads it: calendar days and hours rather than timestamps, and
 * the strength as of the start of the day the figures were computed, so the basis (and its cache
 * key) stays the same through a day of recomputes until the mail changes.
 */
export type RelationshipFacts = {
  strength: number;
  goingCold: boolean;
  messagesSent: number;
  messagesReceived: number;
  sentLast90Days: number;
  receivedLast90Days: number;
  /** UTC days, YYYY-MM-DD. */
  firstInteraction: string;
  lastInteraction: string;
  daysSinceLastInteraction: number;
  usualGapDays: number | null;
  /** Median hours to answer, one decimal: `you` the mailbox owner, `them` the contact. */
  medianReplyHours: { you: number | null; them: number | null };
  /** The newest thread where the contact wrote last, within 30 days, and how many there are. */
  awaitingReply: { threads: number; subject: string | null; since: string; daysWaiting: number } | null;
};

export type RelationshipMessageExcerpt = { direction: "sent" | "received"; day: string; subject: string | null; snippet: string | null };

/** What a stored relationship row holds that the facts are made of. */
export type RelationshipRecord = {
  peakStrength: number;
  goingCold: boolean;
  messagesSent: number;
  messagesReceived: number;
  sentLast90Days: number;
  receivedLast90Days: number;
  firstInteractionAt: Date;
  lastInteractionAt: Date;
  usualGapDays: number | null;
  ownerReplySeconds: number | null;
  contactReplySeconds: number | null;
  awaitingThreads: number;
  awaitingSubject: string | null;
  awaitingSince: Date | null;
  computedAt: Date;
};

const DAY_MS = 86_400_000;
const day = (at: Date) => at.toISOString().slice(0, 10);
/** Calendar days (UTC) from one day to the other: the same all day long. */
const daysBetween = (from: Date, to: Date) => Math.max(0, Math.round((Date.parse(day(to)) - Date.parse(day(from))) / DAY_MS));
const hours = (seconds: number | null) => (seconds === null ? null : Math.round(seconds / 360) / 10);

// Anything shaped like an address, wherever it sits (a Cc line quoted in a snippet, "Write to x@y").
const ADDRESS = /[^\s<>()[\]"',;:@]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/** Mail text as the model may see it: every address replaced, at most the snippet's length. */
export function redactAddresses(text: string | null): string | null {
  if (text === null) return null;
  return text.replace(ADDRESS, "[address]").slice(0, MAILBOX_SNIPPET_CHARS);
}

export function relationshipFacts(record: RelationshipRecord): RelationshipFacts {
  const asOf = record.computedAt;
  const daysSinceLastInteraction = daysBetween(record.lastInteractionAt, asOf);
  return {
    strength: Math.round(record.peakStrength * recencyScore(daysSinceLastInteraction)),
    goingCold: record.goingCold,
    messagesSent: record.messagesSent,
    messagesReceived: record.messagesReceived,
    sentLast90Days: record.sentLast90Days,
    receivedLast90Days: record.receivedLast90Days,
    firstInteraction: day(record.firstInteractionAt),
    lastInteraction: day(record.lastInteractionAt),
    daysSinceLastInteraction,
    usualGapDays: record.usualGapDays === null ? null : Math.round(record.usualGapDays),
    medianReplyHours: { you: hours(record.ownerReplySeconds), them: hours(record.contactReplySeconds) },
    awaitingReply:
      record.awaitingThreads > 0 && record.awaitingSince
        ? { threads: record.awaitingThreads, subject: redactAddresses(record.awaitingSubject), since: day(record.awaitingSince), daysWaiting: daysBetween(record.awaitingSince, asOf) }
        : null,
  };
}

export function messageExcerpt(message: { direction: "sent" | "received"; sentAt: Date; subject: string | null; snippet: string | null }): RelationshipMessageExcerpt {
  return { direction: message.direction, day: day(message.sentAt), subject: redactAddresses(message.subject), snippet: redactAddresses(message.snippet) };
}
