import type { RecommendationAnswer, RecommendationBasis } from "@/core/ai/recommendation-kinds";

/** Thresholds of the words for a strength (0–100). */
export const STRENGTH_WORDS: readonly [minimum: number, word: string][] = [
  [70, "Strong"],
  [40, "Steady"],
  [15, "Light"],
  [0, "Faint"],
];
/** Reciprocity (the quieter side's share, doubled) from which a conversation is two-way. */
export const TWO_WAY_RECIPROCITY = 0.8;
/** Unanswered messages after which "try another channel" beats "write again". */
export const UNANSWERED_MESSAGES = 3;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const ago = (days: number) => (days === 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`);

function duration(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return plural(Math.round(hours / 24), "day");
}

function balance(sent: number, received: number): string {
  if (received === 0) return "only you write";
  if (sent === 0) return "only they write";
  const reciprocity = (2 * Math.min(sent, received)) / (sent + received);
  if (reciprocity >= TWO_WAY_RECIPROCITY) return "a two-way conversation";
  return sent > received ? "mostly you writing" : "mostly them writing";
}

/**
 * The relationship in words, from its figures alone (the messages' text is not read): how strong,
 * how balanced, how quick the replies, and the one thing to do next — answer the newest thread
 * the contact is waiting on, check in on a relationship going cold, stop writing into silence,
 * or nothing. Deterministic: the local default and every fallback.
 */
export function relationshipSummaryRules(basis: Extract<RecommendationBasis, { kind: "relationship-summary" }>): RecommendationAnswer<"relationship-summary"> {
  const r = basis.relationship;
  const word = r.goingCold ? "Going cold" : STRENGTH_WORDS.find(([minimum]) => r.strength >= minimum)![1];
  const sentences = [
    `${word} relationship (strength ${r.strength}/100): ${plural(r.messagesSent, "message")} sent and ${r.messagesReceived} received since ${r.firstInteraction}, the last ${ago(r.daysSinceLastInteraction)}; ${balance(r.messagesSent, r.messagesReceived)}.`,
  ];
  const { you, them } = r.medianReplyHours;
  if (you !== null && them !== null) sentences.push(`You usually answer within ${duration(you)}, they within ${duration(them)}.`);
  else if (you !== null) sentences.push(`You usually answer within ${duration(you)}.`);
  else if (them !== null) sentences.push(`They usually answer within ${duration(them)}.`);
  const recent = r.sentLast90Days + r.receivedLast90Days;
  sentences.push(recent > 0 ? `${plural(recent, "message")} in the last 90 days.` : "No mail in the last 90 days.");

  return { summary: sentences.join(" "), nextAction: nextAction(r) };
}

function nextAction(r: Extract<RecommendationBasis, { kind: "relationship-summary" }>["relationship"]): string {
  if (r.awaitingReply) {
    const { subject, daysWaiting, threads } = r.awaitingReply;
    const more = threads > 1 ? ` (and ${plural(threads - 1, "more thread")})` : "";
    return `Reply to “${subject ?? "(no subject)"}” — waiting ${plural(daysWaiting, "day")}${more}`;
  }
  if (r.goingCold) {
    return `Check in: no contact for ${r.daysSinceLastInteraction} days${r.usualGapDays !== null ? `, usually every ${r.usualGapDays}` : ""}`;
  }
  if (r.messagesReceived === 0 && r.messagesSent >= UNANSWERED_MESSAGES) {
    return `No answer to ${plural(r.messagesSent, "message")}: try another channel, or let it rest`;
  }
  return `Nothing due: last contact ${ago(r.daysSinceLastInteraction)}${r.usualGapDays !== null ? `, usually every ${plural(r.usualGapDays, "day")}` : ""}`;
}
