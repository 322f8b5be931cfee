import type { RecommendationAnswer, RecommendationBasis, SubjectPerformance } from "@/core/ai/recommendation-kinds";
import { hasLiquid, hasNumber, isQuestion, visibleText } from "./text-features";

/** Mobile mail apps show about this many characters of a subject. */
export const SHORT_SUBJECT_CHARS = 50;
/** …and about this many of the preheader after it. */
export const PREHEADER_CHARS = 90;
/** Delivered messages a group of past subjects needs before its open rate is compared. */
export const MIN_DELIVERED_FOR_COMPARISON = 50;

type Feature = { name: string; test: (subject: string) => boolean };
const FEATURES: Feature[] = [
  { name: `at most ${SHORT_SUBJECT_CHARS} characters`, test: (subject) => subject.length <= SHORT_SUBJECT_CHARS },
  { name: "personalised", test: hasLiquid },
  { name: "a question", test: isQuestion },
  { name: "a number", test: hasNumber },
];

/** Open rate of the past subjects with and without a feature, each weighted by delivered. */
export function featureLift(past: SubjectPerformance[], test: (subject: string) => boolean): { with: number | null; without: number | null } {
  const rate = (rows: SubjectPerformance[]) => {
    const delivered = rows.reduce((sum, row) => sum + row.delivered, 0);
    return delivered >= MIN_DELIVERED_FOR_COMPARISON ? rows.reduce((sum, row) => sum + row.uniqueOpened, 0) / delivered : null;
  };
  return { with: rate(past.filter((row) => test(row.subject))), without: rate(past.filter((row) => !test(row.subject))) };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function evidence(past: SubjectPerformance[], feature: Feature, fallback: string): string {
  const lift = featureLift(past, feature.test);
  if (lift.with === null || lift.without === null) return fallback;
  return `Past subjects ${lift.with >= lift.without ? "that were" : "that were not"} ${feature.name} opened at ${percent(Math.max(lift.with, lift.without))} against ${percent(Math.min(lift.with, lift.without))} in this workspace.`;
}

/** Cuts at a word boundary, never inside a Liquid variable. */
export function shorten(subject: string, maxChars: number): string {
  if (subject.length <= maxChars) return subject;
  const words = subject.split(/\s+/);
  let out = "";
  for (const word of words) {
    if (`${out} ${word}`.trim().length > maxChars) break;
    out = `${out} ${word}`.trim();
  }
  if (/\{\{[^}]*$/.test(out)) out = out.replace(/\{\{[^}]*$/, "").trim();
  return out || subject.slice(0, maxChars);
}

/** The first sentence of the body a reader sees, cut to a preheader's length. */
export function preheaderFrom(body: string, subject: string): string {
  const text = visibleText(body);
  const sentences = text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.length > 0 && sentence !== subject);
  const first = sentences[0] ?? "";
  return first ? shorten(first, PREHEADER_CHARS) : "A quick look at what is inside.";
}

/**
 * Three subject and preheader suggestions from the template and the workspace's past subjects:
 * shorter, personalised, and a question, each with the workspace's own open rates as the reason
 * where there are enough of them.
 */
export function suggestSubjectLines(basis: Extract<RecommendationBasis, { kind: "subject-lines" }>): RecommendationAnswer<"subject-lines"> {
  const current = (basis.template.subject ?? basis.template.name).trim() || basis.template.name;
  const core = current.replace(/[.!?]+$/, "");
  const preheader = preheaderFrom(basis.template.body, current);
  const [short, personal, question] = FEATURES;
  const suggestions = [
    {
      subject: shorten(core, SHORT_SUBJECT_CHARS - 5),
      preheader,
      rationale: evidence(basis.pastSubjects, short!, `Phones show about ${SHORT_SUBJECT_CHARS} characters of a subject; the rest is cut off.`),
    },
    {
      subject: hasLiquid(core) ? core : shorten(`{{ contact.first_name | default: "Hi" }}, ${core.charAt(0).toLowerCase()}${core.slice(1)}`, 70),
      preheader,
      rationale: evidence(basis.pastSubjects, personal!, "A subject that names the reader stands out in the inbox (it renders per contact; nobody's name is in this suggestion)."),
    },
    {
      subject: isQuestion(core) ? core : `${shorten(core, SHORT_SUBJECT_CHARS)}?`,
      preheader: shorten(`${preheader} Find out inside.`, PREHEADER_CHARS),
      rationale: evidence(basis.pastSubjects, question!, "A question invites an answer, and the preheader promises it."),
    },
  ];
  const best = [...basis.pastSubjects].filter((row) => row.delivered >= MIN_DELIVERED_FOR_COMPARISON).sort((a, b) => (b.openRate ?? 0) - (a.openRate ?? 0))[0];
  if (best && best.subject !== current) {
    suggestions.push({
      subject: shorten(best.subject, 150),
      preheader,
      rationale: `Your best-opened past subject (${percent(best.openRate ?? 0)} of ${best.delivered} that reached a mailbox): worth reusing its pattern.`,
    });
  }
  return { suggestions };
}
