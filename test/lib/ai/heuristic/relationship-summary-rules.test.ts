import { describe, expect, it } from "vitest";
import { relationshipSummaryAnswer } from "@/core/ai/recommendation-kinds";
import type { RelationshipFacts } from "@/core/mailbox/relationship-facts";
import { relationshipSummaryRules } from "@/lib/ai/heuristic/relationship-summary-rules";
import type { RelationshipBasis } from "@/lib/mailbox/relationship-basis";

const facts = (overrides: Partial<RelationshipFacts>): RelationshipFacts => ({
  strength: 72,
  goingCold: false,
  messagesSent: 40,
  messagesReceived: 44,
  sentLast90Days: 12,
  receivedLast90Days: 14,
  firstInteraction: "2024-01-08",
  lastInteraction: "2025-05-30",
  daysSinceLastInteraction: 2,
  usualGapDays: 4,
  medianReplyHours: { you: 3.2, them: 0.4 },
  awaitingReply: null,
  ...overrides,
});

const basis = (relationship: RelationshipFacts): RelationshipBasis => ({
  kind: "relationship-summary",
  target: { type: "contact", id: "0190b8a4-0000-7000-8000-000000000001" },
  asOf: "2025-06-01",
  relationship,
  messages: [{ direction: "received", day: "2025-05-30", subject: "Re: Q3 plan", snippet: "Sounds good, see you Tuesday." }],
});

/** The heuristics are what every offline summary says: the texts are the specification. */
describe("relationshipSummaryRules", () => {
  it.each([
    {
      case: "a thread awaits the owner's reply",
      facts: facts({ awaitingReply: { threads: 1, subject: "Contract renewal", since: "2025-05-26", daysWaiting: 6 } }),
      nextAction: "Reply to “Contract renewal” — waiting 6 days",
    },
    {
      case: "several threads await, the newest named",
      facts: facts({ awaitingReply: { threads: 3, subject: null, since: "2025-05-31", daysWaiting: 1 } }),
      nextAction: "Reply to “(no subject)” — waiting 1 day (and 2 more threads)",
    },
    {
      case: "a strong relationship going cold",
      facts: facts({ goingCold: true, strength: 24, daysSinceLastInteraction: 45, usualGapDays: 9, sentLast90Days: 2, receivedLast90Days: 1 }),
      nextAction: "Check in: no contact for 45 days, usually every 9",
    },
    {
      case: "writing into silence",
      facts: facts({ messagesSent: 5, messagesReceived: 0, medianReplyHours: { you: null, them: null } }),
      nextAction: "No answer to 5 messages: try another channel, or let it rest",
    },
    {
      case: "nothing due",
      facts: facts({}),
      nextAction: "Nothing due: last contact 2 days ago, usually every 4 days",
    },
  ])("next action when $case", ({ facts: relationship, nextAction }) => {
    const answer = relationshipSummaryRules(basis(relationship));
    expect(answer.nextAction).toBe(nextAction);
    expect(relationshipSummaryAnswer.safeParse(answer).success).toBe(true);
  });

  it.each([
    [facts({}), "Strong relationship (strength 72/100): 40 messages sent and 44 received since 2024-01-08, the last 2 days ago; a two-way conversation. You usually answer within 3 h, they within 24 min. 26 messages in the last 90 days."],
    [
      facts({ strength: 20, messagesSent: 9, messagesReceived: 1, daysSinceLastInteraction: 1, medianReplyHours: { you: null, them: 50 }, sentLast90Days: 0, receivedLast90Days: 0 }),
      "Light relationship (strength 20/100): 9 messages sent and 1 received since 2024-01-08, the last yesterday; mostly you writing. They usually answer within 2 days. No mail in the last 90 days.",
    ],
    [
      facts({ goingCold: true, strength: 12, messagesSent: 1, messagesReceived: 0, daysSinceLastInteraction: 0, medianReplyHours: { you: null, them: null } }),
      "Going cold relationship (strength 12/100): 1 message sent and 0 received since 2024-01-08, the last today; only you write. 26 messages in the last 90 days.",
    ],
  ])("summarises %# from the figures alone", (relationship, summary) => {
    expect(relationshipSummaryRules(basis(relationship)).summary).toBe(summary);
  });
});
