import { MAILBOX_SNIPPET_CHARS } from "./mailbox-limits";

/** The first characters of a text body, whitespace collapsed, cut at a code point boundary. */
export function snippetOf(text: string | null | undefined, maxChars = MAILBOX_SNIPPET_CHARS): string | null {
  if (!text) return null;
  const collapsed = text.replace(/\s+/gu, " ").trim();
  if (collapsed === "") return null;
  const chars = Array.from(collapsed);
  return chars.length <= maxChars ? collapsed : chars.slice(0, maxChars).join("").trimEnd();
}
