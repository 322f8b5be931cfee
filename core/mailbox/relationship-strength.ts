/**
 * How strong a relationship is, from what the mailbox says about it (db/queries/
 * contact-relationships.ts aggregates the figures; this is the formula, pure so it is tested with
 * worked numbers and read in one place).
 *
 *   quality  = 0.45 + 0.35 × reciprocity + 0.20 × reply speed                  (0.45–1)
 *   strength = 100 × frequency × quality × recency                              (0–100)
 *
 * - frequency: messages either way, log-scaled so the hundredth message adds less than the
 *   tenth: ln(1 + n) / ln(1 + 100), capped at 1 (100 messages is as frequent as it gets). It
 *   scales the rest: three quick, balanced messages are a good start, not a strong relationship;
 * - reciprocity: the quieter side's share of the conversation, doubled: 2 × min(sent, received)
 *   / (sent + received) — 1 when balanced, 0 when only one side writes;
 * - reply speed: per direction 1 / (1 + median hours / 24) — an answer within the hour ≈ 0.96,
 *   within a day 0.5 — averaged over the directions that have replies (0 with none);
 * - recency: exponential decay, halving every 45 days of silence. It multiplies rather than
 *   adds, so a silent relationship fades whatever it once was: a weighted term would leave a
 *   close colleague gone for a year among the top ones.
 *
 * `peakStrength` is the strength at the last interaction (recency 1): what the relationship was.
 * Going cold = it was strong (peak ≥ 50) and its silence now exceeds max(30 days, 3 × its usual
 * gap), the usual gap being the average spacing of the days with mail.
 */

export const FREQUENCY_SATURATION_MESSAGES = 100;
export const RECENCY_HALF_LIFE_DAYS = 45;
/** Median reply time that scores one half. */
export const REPLY_SPEED_HALF_HOURS = 24;
/** The quality's floor (any mail at all) and what reciprocity and reply speed add to it. */
export const QUALITY_WEIGHTS = { base: 0.45, reciprocity: 0.35, replySpeed: 0.2 } as const;
export const COLD_MIN_SILENCE_DAYS = 30;
export const COLD_GAP_MULTIPLE = 3;
export const COLD_PEAK_STRENGTH = 50;

const DAY_MS = 86_400_000;

/** What the mailbox says about one relationship (non-automated messages naming the contact). */
export type RelationshipFigures = {
  /** The owner's messages naming the contact. */
  sent: number;
  /** Other messages naming the contact (from them, or copying them). */
  received: number;
  firstInteractionAt: Date;
  lastInteractionAt: Date;
  /** Distinct UTC days with mail either way. */
  interactionDays: number;
  /** Median seconds from the contact's message to the owner's answer in the same thread; null without one. */
  ownerReplySeconds: number | null;
  /** Median seconds from the owner's message to the contact's answer. */
  contactReplySeconds: number | null;
};

export type RelationshipScore = {
  /** 0–100 now, one decimal. */
  strength: number;
  /** 0–100 at the last interaction, one decimal. */
  peakStrength: number;
  frequency: number;
  reciprocity: number;
  replySpeed: number;
  recency: number;
  silenceDays: number;
  /** Average days between days with mail; null with fewer than two. */
  usualGapDays: number | null;
  goingCold: boolean;
};

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export function frequencyScore(messages: number): number {
  return clamp01(Math.log1p(Math.max(0, messages)) / Math.log1p(FREQUENCY_SATURATION_MESSAGES));
}

export function reciprocityScore(sent: number, received: number): number {
  const total = sent + received;
  return total > 0 ? (2 * Math.min(sent, received)) / total : 0;
}

export function replySpeedScore(ownerReplySeconds: number | null, contactReplySeconds: number | null): number {
  const speeds = [ownerReplySeconds, contactReplySeconds].filter((seconds): seconds is number => seconds !== null).map((seconds) => 1 / (1 + seconds / 3600 / REPLY_SPEED_HALF_HOURS));
  return speeds.length > 0 ? speeds.reduce((sum, speed) => sum + speed, 0) / speeds.length : 0;
}

export function recencyScore(silenceDays: number): number {
  return 0.5 ** (Math.max(0, silenceDays) / RECENCY_HALF_LIFE_DAYS);
}

export function usualGapDays(figures: Pick<RelationshipFigures, "firstInteractionAt" | "lastInteractionAt" | "interactionDays">): number | null {
  if (figures.interactionDays < 2) return null;
  return (figures.lastInteractionAt.getTime() - figures.firstInteractionAt.getTime()) / DAY_MS / (figures.interactionDays - 1);
}

/** Silence beyond max(30 days, 3 × the usual gap) after a relationship that was strong. */
export function isGoingCold(params: { peakStrength: number; silenceDays: number; usualGapDays: number | null }): boolean {
  const threshold = Math.max(COLD_MIN_SILENCE_DAYS, COLD_GAP_MULTIPLE * (params.usualGapDays ?? 0));
  return params.peakStrength >= COLD_PEAK_STRENGTH && params.silenceDays > threshold;
}

export function scoreRelationship(figures: RelationshipFigures, now: Date): RelationshipScore {
  const frequency = frequencyScore(figures.sent + figures.received);
  const reciprocity = reciprocityScore(figures.sent, figures.received);
  const replySpeed = replySpeedScore(figures.ownerReplySeconds, figures.contactReplySeconds);
  const base = frequency * (QUALITY_WEIGHTS.base + QUALITY_WEIGHTS.reciprocity * reciprocity + QUALITY_WEIGHTS.replySpeed * replySpeed);
  const silenceDays = Math.max(0, (now.getTime() - figures.lastInteractionAt.getTime()) / DAY_MS);
  const recency = recencyScore(silenceDays);
  const gap = usualGapDays(figures);
  const peakStrength = oneDecimal(100 * base);
  return {
    strength: oneDecimal(100 * base * recency),
    peakStrength,
    frequency,
    reciprocity,
    replySpeed,
    recency,
    silenceDays,
    usualGapDays: gap,
    goingCold: isGoingCold({ peakStrength, silenceDays, usualGapDays: gap }),
  };
}
