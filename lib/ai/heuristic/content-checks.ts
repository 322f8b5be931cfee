import type { RecommendationAnswer, TemplateText } from "@/core/ai/recommendation-kinds";
import { SHORT_SUBJECT_CHARS } from "./subject-line-rules";
import { linksIn, shoutedWords, spammyPhrases, visibleText } from "./text-features";

/** An email body shorter than this reads as an image or a blank message to filters. */
export const MIN_BODY_WORDS = 20;
/** Gmail clips a message whose HTML passes about 102 KB. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
export const MAX_LINKS = 25;
/** An SMS segment (GSM-7); longer texts are billed as several. */
export const SMS_SEGMENT_CHARS = 160;

type Finding = RecommendationAnswer<"content-feedback">["findings"][number];

/** Checks anyone could make with a checklist: length, links, spammy words, the unsubscribe link. */
export function contentFindings(template: TemplateText): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Finding["severity"], issue: string, suggestion: string) => findings.push({ severity, issue, suggestion });
  const text = visibleText(template.body);
  const words = text ? text.split(" ").length : 0;
  const subject = template.subject ?? "";

  if (template.channel === "email") {
    if (!subject.trim()) add("problem", "The email has no subject.", "Write a subject of 30–50 characters that says what is inside.");
    else if (subject.length > SHORT_SUBJECT_CHARS + 10) add("warning", `The subject is ${subject.length} characters; phones show about ${SHORT_SUBJECT_CHARS}.`, "Put the point in the first 40 characters.");
    if (!/unsubscribe_url/.test(template.body)) {
      add("problem", "No unsubscribe link: Gmail and Yahoo require one-click unsubscribe for bulk mail, and its absence draws complaints.", "Add a link to {{ unsubscribe_url }} in the footer.");
    }
    if (Buffer.byteLength(template.body) > GMAIL_CLIP_BYTES) add("warning", "The body is over 102 KB: Gmail clips it, hiding the end (and the unsubscribe link).", "Trim inline styles and images.");
    if (words < MIN_BODY_WORDS) add("warning", `Only ${words} words of visible text.`, "Filters distrust image-only or near-empty mail; add a few sentences of text.");
    const images = template.body.match(/<img\b[^>]*>/gi) ?? [];
    const noAlt = images.filter((tag) => !/\balt\s*=/.test(tag)).length;
    if (noAlt > 0) add("warning", `${noAlt} image${noAlt > 1 ? "s have" : " has"} no alt text.`, "Describe each image: many clients block images by default.");
  }
  if (template.channel === "sms" && text.length > SMS_SEGMENT_CHARS) {
    add("info", `The text is ${text.length} characters: ${Math.ceil(text.length / 153)} SMS segments each.`, `Keep it under ${SMS_SEGMENT_CHARS} characters to pay one segment.`);
  }
  const links = linksIn(template.body);
  if (links.length === 0 && template.channel === "email") add("info", "No links: readers have nothing to click.", "Add one clear call to action.");
  if (links.length > MAX_LINKS) add("warning", `${links.length} links.`, `More than ${MAX_LINKS} links looks like a link farm to filters; keep the ones that matter.`);
  const insecure = links.filter((link) => link.startsWith("http://")).length;
  if (insecure > 0) add("warning", `${insecure} link${insecure > 1 ? "s use" : " uses"} http://.`, "Use https:// links.");
  const spammy = spammyPhrases(`${subject} ${text}`);
  if (spammy.length > 0) add("warning", `Spam-trigger phrases: ${spammy.map((phrase) => `"${phrase}"`).join(", ")}.`, "Say what the reader gets, plainly.");
  const shouted = shoutedWords(subject);
  if (shouted.length > 0) add("warning", `Capitals in the subject: ${shouted.join(", ")}.`, "Write the subject in sentence case.");
  if ((subject.match(/!/g) ?? []).length > 1) add("warning", "Several exclamation marks in the subject.", "One at most.");
  // The schema holds twelve; problems come first, so none is ever cut.
  const order = { problem: 0, warning: 1, info: 2 } as const;
  return findings.sort((a, b) => order[a.severity] - order[b.severity]).slice(0, 12);
}

export function reviewContent(template: TemplateText): RecommendationAnswer<"content-feedback"> {
  const findings = contentFindings(template);
  const count = (severity: Finding["severity"]) => findings.filter((finding) => finding.severity === severity).length;
  const summary =
    findings.length === 0
      ? "No problems found by the checklist (length, links, spam-trigger words, unsubscribe link, alt text)."
      : `${count("problem")} problem(s), ${count("warning")} warning(s) and ${count("info")} note(s) from the checklist: length, links, spam-trigger words, unsubscribe link, alt text.`;
  return { findings, summary };
}
