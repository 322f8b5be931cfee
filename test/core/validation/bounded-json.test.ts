import { describe, expect, it } from "vitest";
import { boundedJson, boundedJsonObject, nestsDeeperThan } from "@/core/validation/bounded-json";

const nested = (depth: number): unknown => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`);

describe("nestsDeeperThan", () => {
  it.each([
    [1, 0, false],
    [{}, 1, false],
    [{}, 0, true],
    [{ a: [] }, 2, false],
    [{ a: [{}] }, 2, true],
    [nested(16), 16, false],
    [nested(17), 16, true],
  ])("%j deeper than %i → %s", (value, maxDepth, expected) => {
    expect(nestsDeeperThan(value, maxDepth)).toBe(expected);
  });

  it("walks input nested a million deep without recursion", () => {
    expect(nestsDeeperThan(nested(1_000_000), 16)).toBe(true);
  });
});

describe("boundedJson", () => {
  const schema = boundedJsonObject({ maxDepth: 4, maxBytes: 64 });

  it("passes an object within the limits through unchanged", () => {
    expect(schema.parse({ a: { b: [1, "two", null] } })).toEqual({ a: { b: [1, "two", null] } });
  });

  it.each([
    ["too deep", { a: { b: { c: { d: {} } } } }, "may nest objects and arrays at most 4 levels deep"],
    ["hostile depth", { a: nested(100_000) }, "may nest objects and arrays at most 4 levels deep"],
    ["too big", { blob: "x".repeat(100) }, "may be at most 64 bytes as JSON"],
    ["not an object", [1], "Invalid input: expected record, received array"],
  ])("refuses %s with one issue on the field itself", (_name, value, message) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([[[], message]]);
  });

  it("leaves the shape to the schema it pipes into", () => {
    expect(boundedJson({ maxDepth: 2, maxBytes: 1024 }).safeParse("text").success).toBe(true);
  });
});
