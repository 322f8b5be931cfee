import { describe, expect, it } from "vitest";
import { boundedMemo } from "@/core/memo/bounded-memo";

describe("boundedMemo", () => {
  it("computes a key once, and remembers a falsy result too", () => {
    const seen: string[] = [];
    const isLong = boundedMemo((key) => (seen.push(key), key.length > 3), 10);
    expect([isLong("ab"), isLong("ab"), isLong("abcd"), isLong("abcd")]).toEqual([false, false, true, true]);
    expect(seen).toEqual(["ab", "abcd"]);
  });

  it("never holds more than its bound: past it, it starts again", () => {
    const seen: string[] = [];
    const upper = boundedMemo((key) => (seen.push(key), key.toUpperCase()), 2);
    for (const key of ["a", "b", "c", "a"]) upper(key);
    // "c" found the memory full and emptied it, so "a" is computed again.
    expect(seen).toEqual(["a", "b", "c", "a"]);
  });
});
