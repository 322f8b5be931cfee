import { describe, expect, it } from "vitest";
import { MAX_FILTER_DEPTH, MAX_FILTER_NODES, MAX_IN_VALUES, segmentFilter } from "@/core/segments/segment-filter";

const LIST_ID = "6f1c2f4e-8a4b-4c1e-9d2a-1b2c3d4e5f60";

function nest(depth: number): unknown {
  let filter: unknown = { field: "email", op: "exists" };
  for (let i = 1; i < depth; i++) filter = { not: filter };
  return filter;
}

function errorsOf(filter: unknown): Record<string, string> {
  const result = segmentFilter.safeParse(filter);
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
}

describe("segmentFilter", () => {
  it.each([
    [{ field: "email", op: "ends_with", value: "@acme.com" }],
    [{ field: "status", op: "in", value: ["subscribed"] }],
    [{ field: "birthday", op: "eq", value: "1990-05-01" }],
    [{ field: "birthday", op: "on", value: "--02-29" }],
    [{ field: "birthday", op: "on", value: "--11" }],
    [{ field: "createdAt", op: "gte", value: "2024-01-01T00:00:00+02:00" }],
    [{ field: "createdAt", op: "after", value: "30d" }],
    [{ attribute: "plan", op: "eq", value: "pro" }],
    [{ attribute: "seats", op: "gt", value: 5 }],
    [{ attribute: "vip", op: "in", value: [true, 1, "yes"] }],
    [{ inList: LIST_ID }],
    [{ engagement: "opened", within: "30d" }],
    [{ engagement: "clicked", within: "12h", channel: "email" }],
    [{ all: [] }],
    [{ any: [{ not: { inList: LIST_ID } }, { all: [{ field: "phone", op: "exists", value: false }] }] }],
    [nest(MAX_FILTER_DEPTH)],
  ])("accepts %j", (filter) => {
    expect(segmentFilter.safeParse(filter).success).toBe(true);
  });

  it("defaults exists to true", () => {
    expect(segmentFilter.parse({ field: "phone", op: "exists" })).toEqual({ field: "phone", op: "exists", value: true });
  });

  it.each([
    ["an unknown field", { field: "password", op: "eq", value: "x" }, "field"],
    ["a raw column name", { field: "workspace_id", op: "eq", value: "x" }, "field"],
    ["an unknown op", { field: "email", op: "like", value: "%" }, "op"],
    ["an op that does not fit the field", { field: "createdAt", op: "contains", value: "2024" }, "op"],
    ["a text op on status", { field: "status", op: "starts_with", value: "sub" }, "op"],
    ["an unknown status", { field: "status", op: "eq", value: "bounced" }, "value"],
    ["Feb 30", { field: "birthday", op: "gt", value: "2000-02-30" }, "value"],
    ["a month-day that does not exist", { field: "birthday", op: "on", value: "--02-30" }, "value"],
    ["a full date for on", { field: "birthday", op: "on", value: "1990-11-23" }, "value"],
    ["on for a text field", { field: "email", op: "on", value: "--11-23" }, "op"],
    ["a date-time without offset", { field: "createdAt", op: "gt", value: "2024-01-01T00:00:00" }, "value"],
    ["a bad window", { field: "createdAt", op: "after", value: "30 days" }, "value"],
    ["a zero window", { engagement: "opened", within: "0d" }, "within"],
    ["a huge window", { engagement: "opened", within: "99999w" }, "within"],
    ["an unknown engagement", { engagement: "replied", within: "30d" }, "engagement"],
    ["an attribute key with quotes", { attribute: "plan'--", op: "eq", value: "x" }, "attribute"],
    ["an attribute JSON path", { attribute: "a.b", op: "eq", value: "x" }, "attribute"],
    ["an attribute path operator", { attribute: "a->>b", op: "exists" }, "attribute"],
    ["an object value", { attribute: "plan", op: "eq", value: { $ne: 1 } }, "value"],
    ["an empty string", { field: "email", op: "contains", value: "" }, "value"],
    ["too many values", { field: "email", op: "in", value: Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => `${i}`) }, "value"],
    ["a list id that is not a uuid", { inList: "1 OR 1=1" }, "inList"],
    ["an extra key", { field: "email", op: "exists", sql: "1=1" }, ""],
    ["two kinds in one node", { field: "email", op: "exists", inList: LIST_ID }, ""],
    ["a bare string", "email = 'x'", ""],
    ["a nested error", { all: [{ any: [{ field: "email", op: "nope", value: "x" }] }] }, "all.0.any.0.op"],
  ])("refuses %s, reported at %j", (_case, filter, path) => {
    expect(errorsOf(filter)).toHaveProperty([path]);
  });

  it.each([
    ["year 0 as a date (PostgreSQL has none)", { field: "birthday", op: "eq", value: "0000-01-01" }, "must be between 0001-01-01 and 9999-12-31"],
    ["year 0 as a timestamp", { field: "createdAt", op: "gt", value: "0000-01-01" }, "must be between 0001-01-01 and 9999-12-31 (in UTC)"],
    ["an offset carrying 9999-12-31 into year 10000", { field: "createdAt", op: "gt", value: "9999-12-31T23:00-05:00" }, "must be between 0001-01-01 and 9999-12-31 (in UTC)"],
    ["an offset carrying 0001-01-01 back into year 0", { field: "updatedAt", op: "lt", value: "0001-01-01T00:00+14:00" }, "must be between 0001-01-01 and 9999-12-31 (in UTC)"],
    ["an hour JavaScript cannot read", { field: "createdAt", op: "gt", value: "2024-01-01T25:00Z" }, "must be a date (YYYY-MM-DD) or a date-time with offset (ISO 8601)"],
    ["a window past ten years", { field: "createdAt", op: "after", value: "999999w" }, 'must be a window like "12h", "30d" or "8w", at most ten years'],
    ["an engagement window of a million hours", { engagement: "opened", within: "999999h" }, 'must be a window like "12h", "30d" or "8w", at most ten years'],
  ])("refuses %s, naming the condition", (_case, filter, message) => {
    expect(Object.values(errorsOf(filter))).toEqual([message]);
  });

  it.each([
    [{ field: "birthday", op: "gte", value: "0001-01-01" }],
    [{ field: "birthday", op: "lte", value: "9999-12-31" }],
    [{ field: "createdAt", op: "lt", value: "9999-12-31T23:59:59.999Z" }],
    [{ field: "createdAt", op: "after", value: "87840h" }],
  ])("accepts the edges %j", (filter) => {
    expect(segmentFilter.safeParse(filter).success).toBe(true);
  });

  it("refuses nesting deeper than the limit, even absurdly deep, without recursion", () => {
    expect(Object.values(errorsOf(nest(MAX_FILTER_DEPTH + 1)))).toEqual([`is nested deeper than ${MAX_FILTER_DEPTH} levels`]);
    expect(segmentFilter.safeParse(nest(100_000)).success).toBe(false);
  });

  it("refuses more nodes than the limit", () => {
    const wide = { any: Array.from({ length: MAX_FILTER_NODES }, () => ({ field: "email", op: "exists" })) };
    expect(Object.values(errorsOf(wide))).toEqual([`has more than ${MAX_FILTER_NODES} conditions and groups`]);
  });
});
