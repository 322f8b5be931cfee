import { describe, expect, it } from "vitest";
import { isStorableText, storableJson, storableText } from "@/core/text/storable-text";

describe("storable text", () => {
  it.each([
    ["plain text", "Ada Lovelace", true, "Ada Lovelace"],
    ["a surrogate pair", "smile 😀", true, "smile 😀"],
    ["control characters other than NUL", "bell\u0007 esc\u001b del\u007f", true, "bell\u0007 esc\u001b del\u007f"],
    ["zero-width and bidi characters", "a\u200bb\u202ec", true, "a\u200bb\u202ec"],
    ["noncharacters PostgreSQL stores", "\uffff\ufdd0", true, "\uffff\ufdd0"],
    ["NUL", "a\u0000b", false, "a\ufffdb"],
    ["a lone high surrogate", "a\ud83d", false, "a\ufffd"],
    ["a lone low surrogate", "\ude00b", false, "\ufffdb"],
    ["two lone halves in the wrong order", "\ude00\ud83d", false, "\ufffd\ufffd"],
    ["a lone half next to a pair", "\ud83d😀", false, "\ufffd😀"],
  ])("%s", (_case, value, storable, expected) => {
    expect(isStorableText(value)).toBe(storable);
    expect(storableText(value)).toBe(expected);
  });

  it("storableJson makes every string of a value storable and keeps the rest", () => {
    const json = storableJson([{ line: 2, column: "na\u0000me", value: "x\ud83d", n: 1, none: null }]);
    expect(JSON.parse(json)).toEqual([{ line: 2, column: "na\ufffdme", value: "x\ufffd", n: 1, none: null }]);
    expect(json).not.toMatch(/\\u0000|\\ud83d/i);
  });
});
