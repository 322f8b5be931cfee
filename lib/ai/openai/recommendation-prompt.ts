import type { RecommendationBasis, RecommendationKind } from "@/core/ai/recommendation-kinds";

const TASKS: Record<RecommendationKind, string> = {
  "subject-lines":
    "Suggest up to five email subject lines, each with a preheader, for the template below. Keep Liquid variables ({{ … }}) as they are; never invent a person's name. Ground each rationale in the workspace's past subjects and their open rates when they say something.",
  "send-time":
    "Recommend up to three weekly send slots (day of week 0 = Sunday … 6 = Saturday, hour 0–23, in the workspace's time zone) for this segment, from the heat map of its contacts' human opens and clicks. Say in the rationale which numbers support each slot.",
  "content-feedback":
    "Review the message template below for deliverability and readability: length, links, spam-trigger wording, the unsubscribe link ({{ unsubscribe_url }}), accessibility. Liquid variables are placeholders, not mistakes.",
  "campaign-summary":
    "Summarise the campaign's results in plain language for a marketer: a headline, a short summary, highlights and concerns, comparing with the workspace's other campaigns (the baseline). Use only the numbers given.",
  "relationship-summary":
    "Summarise, in two or three sentences, the mailbox owner's relationship with one contact (called 'they'): how strong and how balanced it is and what it is about, from the figures and the subjects and snippets of the latest messages (addresses are redacted as [address]; days count to `asOf`). Then suggest one concrete next action: answer the thread they wait on, check in when it is going cold, or nothing due. Never invent names, dates or facts.",
};

/**
 * The chat messages for one recommendation. The basis is all the model sees: aggregates,
 * template text with its Liquid unrendered and segment definitions without their values.
 */
export function recommendationMessages(basis: RecommendationBasis): { role: "system" | "user"; content: string }[] {
  return [
    {
      role: "system",
      content: `You help the marketers of an email and SMS platform. ${TASKS[basis.kind]} Answer only from the data given; if it is too thin to conclude, say so in the answer.`,
    },
    { role: "user", content: JSON.stringify(basis) },
  ];
}
