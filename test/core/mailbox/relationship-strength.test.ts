import { describe, expect, it } from "vitest";
import {
  frequencyScore,
  isGoingCold,
  recencyScore,
  reciprocityScore,
  replySpeedScore,
  scoreRelationship,
  usualGapDays,
} from "@/core/mailbox/relationship-strength";

const NOW = new Date("2025-06-01T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const HOUR = 3_600;

describe("the parts of the strength", () => {
  it.each([
    [0, 0],
    [1, Math.log(2) / Math.log(101)],
    // ln 31 / ln 101 = 3.4340 / 4.6151
    [30, 0.744074],
    [100, 1],
    // Past 100 messages a relationship is as frequent as it gets.
    [300, 1],
  ])("frequency of %i messages is %f (log-scaled, capped)", (messages, expected) => {
    expect(frequencyScore(messages)).toBeCloseTo(expected, 5);
  });

  it.each([
    [10, 10, 1],
    [12, 18, 0.8],
    [20, 0, 0],
    [0, 5, 0],
    [0, 0, 0],
  ])("reciprocity of %i sent and %i received is %f", (sent, received, expected) => {
    expect(reciprocityScore(sent, received)).toBeCloseTo(expected, 6);
  });

  it.each([
    [null, null, 0],
    // 1 / (1 + 2/24) = 24/26
    [2 * HOUR, null, 0.923077],
    [null, 24 * HOUR, 0.5],
    // (24/44 + 24/30) / 2
    [20 * HOUR, 6 * HOUR, 0.672727],
  ])("reply speed with the owner answering in %s s and the contact in %s s is %f", (owner, contact, expected) => {
    expect(replySpeedScore(owner, contact)).toBeCloseTo(expected, 5);
  });

  it.each([
    [0, 1],
    [45, 0.5],
    [90, 0.25],
    [-3, 1],
  ])("recency after %i days of silence is %f (halving every 45 days)", (days, expected) => {
    expect(recencyScore(days)).toBeCloseTo(expected, 6);
  });

  it("the usual gap is the average spacing of the days with mail", () => {
    expect(usualGapDays({ firstInteractionAt: daysAgo(100), lastInteractionAt: daysAgo(10), interactionDays: 10 })).toBeCloseTo(10, 6);
    expect(usualGapDays({ firstInteractionAt: daysAgo(10), lastInteractionAt: daysAgo(10), interactionDays: 1 })).toBeNull();
  });

  it.each([
    // Silence beyond 30 days after a strong relationship.
    [{ peakStrength: 80, silenceDays: 31, usualGapDays: 2 }, true],
    [{ peakStrength: 80, silenceDays: 29, usualGapDays: 2 }, false],
    // A quarterly contact is not cold after 100 days: 3 × 90 first.
    [{ peakStrength: 80, silenceDays: 100, usualGapDays: 90 }, false],
    [{ peakStrength: 80, silenceDays: 271, usualGapDays: 90 }, true],
    // Never strong: silence is just silence.
    [{ peakStrength: 49.9, silenceDays: 400, usualGapDays: 5 }, false],
    [{ peakStrength: 60, silenceDays: 45, usualGapDays: null }, true],
  ])("going cold: %o → %s", (params, expected) => {
    expect(isGoingCold(params)).toBe(expected);
  });
});

/**
 * Whole relationships, worked by hand: peak = 100 × F × (0.45 + 0.35 R + 0.20 S),
 * strength = peak × 0.5^(silence / 45).
 */
const WORKED = [
  {
    who: "a close colleague: 300 messages both ways, answers within 2 h, yesterday",
    figures: { sent: 150, received: 150, firstInteractionAt: daysAgo(365), lastInteractionAt: daysAgo(1), interactionDays: 250, ownerReplySeconds: 2 * HOUR, contactReplySeconds: 2 * HOUR },
    // 1 × (0.45 + 0.35 × 1 + 0.20 × 0.923077) = 0.984615; × 0.5^(1/45) = 0.984715 → 96.96
    expected: { peakStrength: 98.5, strength: 97.0, goingCold: false },
  },
  {
    who: "a client: 12 sent, 18 received, answered in 20 h, answering in 6 h, 3 days ago",
    figures: { sent: 12, received: 18, firstInteractionAt: daysAgo(60), lastInteractionAt: daysAgo(3), interactionDays: 20, ownerReplySeconds: 20 * HOUR, contactReplySeconds: 6 * HOUR },
    // 0.744074 × (0.45 + 0.35 × 0.8 + 0.20 × 0.672727) = 0.744074 × 0.864545 = 0.643286; × 0.5^(3/45) = 0.954842 → 61.42
    expected: { peakStrength: 64.3, strength: 61.4, goingCold: false },
  },
  {
    who: "someone once frequent, silent for 120 days after mail every 3 days",
    figures: { sent: 100, received: 100, firstInteractionAt: daysAgo(485), lastInteractionAt: daysAgo(120), interactionDays: 121, ownerReplySeconds: 4 * HOUR, contactReplySeconds: 4 * HOUR },
    // 1 × (0.45 + 0.35 + 0.20 × 0.857143) = 0.971429; × 0.5^(120/45) = 0.157490 → 15.30; silence 120 > max(30, 3 × 3.04)
    expected: { peakStrength: 97.1, strength: 15.3, goingCold: true, usualGapDays: 365 / 120 },
  },
  {
    who: "someone only written to: 20 sent, never an answer, 10 days ago",
    figures: { sent: 20, received: 0, firstInteractionAt: daysAgo(200), lastInteractionAt: daysAgo(10), interactionDays: 20, ownerReplySeconds: null, contactReplySeconds: null },
    // 0.659685 × 0.45 = 0.296858; × 0.5^(10/45) = 0.857244 → 25.45
    expected: { peakStrength: 29.7, strength: 25.4, goingCold: false },
  },
  {
    who: "a quarterly contact, 100 days since the last exchange",
    figures: { sent: 8, received: 8, firstInteractionAt: daysAgo(830), lastInteractionAt: daysAgo(100), interactionDays: 9, ownerReplySeconds: 24 * HOUR, contactReplySeconds: 24 * HOUR },
    // 0.613898 × (0.45 + 0.35 + 0.20 × 0.5) = 0.552508; × 0.5^(100/45) = 0.214311 → 11.84; 100 < 3 × 91.25, not cold
    expected: { peakStrength: 55.3, strength: 11.8, goingCold: false, usualGapDays: 91.25 },
  },
];

describe("scoreRelationship", () => {
  it.each(WORKED)("$who", ({ figures, expected }) => {
    const score = scoreRelationship(figures, NOW);
    expect(score).toMatchObject({ peakStrength: expected.peakStrength, strength: expected.strength, goingCold: expected.goingCold });
    if (expected.usualGapDays !== undefined) expect(score.usualGapDays).toBeCloseTo(expected.usualGapDays, 6);
  });

  it("ranks the worked relationships colleague, client, only-written-to, silent, quarterly", () => {
    const strength = (figures: Parameters<typeof scoreRelationship>[0]) => scoreRelationship(figures, NOW).strength;
    const [colleague, client, silent, oneWay, quarterly] = WORKED.map((row) => strength(row.figures));
    expect([colleague, client, oneWay, silent, quarterly]).toEqual([colleague!, client!, oneWay!, silent!, quarterly!].sort((a, b) => b - a));
  });

  it("scales by frequency: three quick, balanced messages yesterday are a start, not a strong relationship", () => {
    const score = scoreRelationship({ sent: 2, received: 1, firstInteractionAt: daysAgo(2), lastInteractionAt: daysAgo(1), interactionDays: 2, ownerReplySeconds: HOUR, contactReplySeconds: HOUR }, NOW);
    // ln 4 / ln 101 = 0.300378; × (0.45 + 0.35 × 0.666667 + 0.20 × 0.96) = 0.875333 → 26.29; × 0.984715
    expect(score).toMatchObject({ peakStrength: 26.3, strength: 25.9 });
  });
});
