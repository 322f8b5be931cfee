import { describe, expect, it } from "vitest";
import { decodeHtmlAttribute, escapeHtmlAttribute } from "@/lib/tracking/decode-html-attribute";

describe("decodeHtmlAttribute", () => {
  it.each([
    ["https://x.example/?a=1&amp;b=2", "https://x.example/?a=1&b=2"],
    ["https://x.example/?a=1&#38;b=2&#x26;c=3", "https://x.example/?a=1&b=2&c=3"],
    ["&quot;q&quot; &#39;s&#39; &apos;a&apos;", `"q" 's' 'a'`],
    ["https&colon;&sol;&sol;x.example&sol;", "https://x.example/"],
    // Unescaped ampersands stay as written: "&b=" and "&copy=" are not references in an attribute.
    ["https://x.example/?a=1&b=2&copy=3", "https://x.example/?a=1&b=2&copy=3"],
    ["?x&ampy", "?x&ampy"],
    // A legacy name followed by something else is decoded, semicolon or not.
    ["a&amp b", "a& b"],
    ["&copy 2024", "\u00a9 2024"],
    ["&#233;t&#xE9;", "été"],
    ["no references", "no references"],
    ["a & b", "a & b"],
  ])("%j → %j", (raw, decoded) => {
    expect(decodeHtmlAttribute(raw)).toBe(decoded);
  });

  it.each(["&hearts;", "&NotAnEntity;", "&#0;", "&#x110000;", "&#xD800;", "&#150;"])("gives up on %j rather than guess", (raw) => {
    expect(decodeHtmlAttribute(`https://x.example/${raw}`)).toBeNull();
  });
});

describe("escapeHtmlAttribute", () => {
  it("round-trips through decodeHtmlAttribute", () => {
    const value = `https://x.example/?a=1&b="2"<3>`;
    expect(escapeHtmlAttribute(value)).toBe("https://x.example/?a=1&amp;b=&quot;2&quot;&lt;3&gt;");
    expect(decodeHtmlAttribute(escapeHtmlAttribute(value))).toBe(value);
  });
});
