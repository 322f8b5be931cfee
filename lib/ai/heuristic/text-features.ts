/** Text facts the heuristics read from a template as written (Liquid unrendered). */

export const LIQUID_OUTPUT = /\{\{[\s\S]*?\}\}/g;
const LIQUID_TAG = /\{%[\s\S]*?%\}/g;
const HTML_TAG = /<[^>]+>/g;

/** What a reader sees of a body: tags, Liquid and runs of white space removed. */
export function visibleText(body: string): string {
  return body
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, " ")
    .replace(HTML_TAG, " ")
    .replace(LIQUID_TAG, " ")
    .replace(LIQUID_OUTPUT, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Links a body carries: href attributes and bare URLs in text bodies. */
export function linksIn(body: string): string[] {
  const hrefs = [...body.matchAll(/href\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]!);
  const bare = body.replace(/href\s*=\s*["'][^"']*["']/gi, "").match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
  return [...hrefs, ...bare];
}

/** Words that spam filters weigh, and that readers of marketing mail have learnt to skip. */
export const SPAMMY_PHRASES = [
  "act now",
  "100% free",
  "risk-free",
  "risk free",
  "guaranteed",
  "winner",
  "you have been selected",
  "urgent",
  "cash bonus",
  "click here",
  "limited time",
  "no obligation",
  "free money",
  "$$$",
  "buy now",
  "order now",
  "double your",
] as const;

export function spammyPhrases(text: string): string[] {
  const lower = text.toLowerCase();
  return SPAMMY_PHRASES.filter((phrase) => lower.includes(phrase));
}

/** Whole words written in capitals (three letters or more): shouting, to readers and filters. */
export function shoutedWords(text: string): string[] {
  return text.match(/\b[A-Z]{3,}\b/g) ?? [];
}

export const hasLiquid = (text: string) => /\{\{[\s\S]*?\}\}/.test(text);
export const hasNumber = (text: string) => /\d/.test(text);
export const isQuestion = (text: string) => text.trim().endsWith("?");
