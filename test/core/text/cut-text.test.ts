import { describe, expect, it } from "vitest";
import { cutText } from "@/core/text/cut-text";
import { isStorableText } from "@/core/text/storable-text";

const SMILE = "😀";
const FAMILY = "👨‍👩‍👧";

describe("cutText", () => {
  it.each([
    ["text that fits is returned as it is", "abc", 3, "abc"],
    ["plain text is cut to the limit, marker included", "abcdef", 4, "abc…"],
    ["a surrogate pair straddling the cut is dropped whole", `ab${SMILE}cd`, 4, "ab…"],
    ["a surrogate pair that fits is kept", `a${SMILE}bcd`, 4, `a${SMILE}…`],
    ["an emoji ZWJ sequence is one character: kept whole or dropped whole", `ab${FAMILY}cd`, 9, "ab…"],
    ["a flag (regional indicator pair) is not split", "a🇫🇷b", 4, "a…"],
    ["a letter keeps its combining marks", "ae\u0301\u0302bc", 4, "a…"],
    ["Hangul jamo stay one syllable", "가\u1100\u1161\u11a8나", 3, "가…"],
    ["a single cluster longer than the budget is cut at a code point", `e${"\u0301".repeat(20)}`, 5, `e${"\u0301".repeat(3)}…`],
    ["... never inside a surrogate pair", `${SMILE}${"\u0301".repeat(20)}`, 2, "…"],
  ])("%s", (_case, value, maxChars, expected) => {
    const cut = cutText(value, maxChars);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(maxChars);
    expect(isStorableText(cut)).toBe(true);
  });

  it("with an empty marker cuts to exactly the limit", () => {
    expect(cutText(`abc${SMILE}`, 4, "")).toBe("abc");
  });

  it("keeps every result well-formed, whatever the limit", () => {
    const text = `a${SMILE}${FAMILY}e\u0301${SMILE}🇫🇷z`.repeat(3);
    for (let limit = 1; limit <= text.length; limit++) {
      const cut = cutText(text, limit);
      expect(cut.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(isStorableText(cut), `limit ${limit}`).toBe(true);
    }
  });
});
