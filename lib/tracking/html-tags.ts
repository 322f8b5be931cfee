/**
 * A small HTML tokenizer that finds tags and the exact source span of each attribute value,
 * so callers can rewrite one value and leave every other byte of the document as it was.
 * It follows the WHATWG tokenizer where it matters for finding tags: comments, doctypes and
 * bogus comments are skipped; raw-text elements (script, style, textarea, title, ...) hide
 * their contents; attribute values may be double-, single- or un-quoted; the first of
 * duplicate attributes wins. It does not build a tree.
 */

export type HtmlAttribute = {
  /** Lower-cased. */
  name: string;
  /** As written, entities not decoded; "" for a valueless attribute. */
  raw: string;
  /** Source span of the value including its quotes; start === end for a valueless attribute. */
  start: number;
  end: number;
};

export type HtmlTag = {
  kind: "start" | "end";
  /** Lower-cased. */
  name: string;
  /** Source span from "<" to just after ">". */
  start: number;
  end: number;
  /** Start tags only; first occurrence of each name. */
  attributes: HtmlAttribute[];
};

/** Elements whose contents are text up to their own end tag. */
const RAW_TEXT = new Set(["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"]);
const WHITESPACE = /[\t\n\f\r ]/;
const LETTER = /[A-Za-z]/;

/** Parses attributes from `i` (just after the tag name) to the closing ">"; null at end of input. */
function readAttributes(html: string, i: number): { attributes: HtmlAttribute[]; end: number } | null {
  const attributes: HtmlAttribute[] = [];
  const seen = new Set<string>();
  const n = html.length;
  while (i < n) {
    const c = html[i]!;
    if (WHITESPACE.test(c) || c === "/") {
      i++;
      continue;
    }
    if (c === ">") return { attributes, end: i + 1 };
    // Attribute name: a leading "=" belongs to the name, per the spec.
    const nameStart = i;
    i++;
    while (i < n && !WHITESPACE.test(html[i]!) && html[i] !== "/" && html[i] !== ">" && html[i] !== "=") i++;
    const name = html.slice(nameStart, i).toLowerCase();
    while (i < n && WHITESPACE.test(html[i]!)) i++;
    let raw = "";
    let start = i;
    let end = i;
    if (html[i] === "=") {
      i++;
      while (i < n && WHITESPACE.test(html[i]!)) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close < 0) return null;
        start = i;
        raw = html.slice(i + 1, close);
        i = close + 1;
        end = i;
      } else {
        start = i;
        while (i < n && !WHITESPACE.test(html[i]!) && html[i] !== ">") i++;
        raw = html.slice(start, i);
        end = i;
      }
    }
    if (!seen.has(name)) {
      seen.add(name);
      attributes.push({ name, raw, start, end });
    }
  }
  return null;
}

/** Where a raw-text element's contents end: the start of its "</name" followed by a delimiter. */
function rawTextEnd(html: string, lower: string, from: number, name: string): number {
  let i = from;
  for (;;) {
    const at = lower.indexOf(`</${name}`, i);
    if (at < 0) return html.length;
    const after = html[at + 2 + name.length];
    if (after === undefined || after === ">" || after === "/" || WHITESPACE.test(after)) return at;
    i = at + 1;
  }
}

export function* htmlTags(html: string): Generator<HtmlTag> {
  const n = html.length;
  // Fold only A-Z: String#toLowerCase can change the length of non-ASCII text, and the
  // offsets found in this copy must be offsets into `html`.
  const lower = html.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) return;
    const next = html[lt + 1];
    if (html.startsWith("<!--", lt)) {
      // "<!-->" and "<!--->" are complete (empty) comments.
      if (html.startsWith(">", lt + 4)) i = lt + 5;
      else if (html.startsWith("->", lt + 4)) i = lt + 6;
      else {
        const close = html.indexOf("-->", lt + 4);
        i = close < 0 ? n : close + 3;
      }
      continue;
    }
    if (next === "!" || next === "?") {
      // Doctype, CDATA outside foreign content, processing instruction: all end at the next ">".
      const close = html.indexOf(">", lt + 2);
      i = close < 0 ? n : close + 1;
      continue;
    }
    const isEnd = next === "/";
    const nameStart = lt + (isEnd ? 2 : 1);
    if (!LETTER.test(html[nameStart] ?? "")) {
      // "</>" is dropped; "</ x>" is a bogus comment; a lone "<" is text.
      if (isEnd && html[nameStart] === ">") i = nameStart + 1;
      else if (isEnd) {
        const close = html.indexOf(">", nameStart);
        i = close < 0 ? n : close + 1;
      } else i = lt + 1;
      continue;
    }
    let nameEnd = nameStart;
    while (nameEnd < n && !WHITESPACE.test(html[nameEnd]!) && html[nameEnd] !== "/" && html[nameEnd] !== ">") nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const parsed = readAttributes(html, nameEnd);
    // A tag cut off by the end of input is dropped, as a browser drops it.
    if (!parsed) return;
    yield { kind: isEnd ? "end" : "start", name, start: lt, end: parsed.end, attributes: isEnd ? [] : parsed.attributes };
    i = parsed.end;
    if (!isEnd && name === "plaintext") return;
    if (!isEnd && RAW_TEXT.has(name)) i = rawTextEnd(html, lower, i, name);
  }
}
