import type { z } from "zod";

type Issue = z.core.$ZodRawIssue;

const KINDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "an array",
  null: "null",
  date: "a date",
};

const FORMATS: Record<string, string> = {
  uuid: "a UUID",
  guid: "a UUID",
  email: "an email address",
  url: "a URL",
  datetime: "an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z",
  date: "a date as YYYY-MM-DD",
};

function kindOf(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "an array";
  return { string: "a string", number: "a number", boolean: "a boolean", object: "an object" }[typeof input as string] ?? typeof input;
}

const plural = (count: number | bigint, one: string) => `${count} ${one}${Number(count) === 1 ? "" : "s"}`;

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint, direction: "least" | "most"): string {
  switch (issue.origin) {
    case "string":
      return `must be at ${direction} ${plural(limit, "character")} long`;
    case "array":
    case "set":
      return `must have at ${direction} ${plural(limit, "item")}`;
    case "file":
      return `must be at ${direction} ${plural(limit, "byte")}`;
    default:
      if (issue.inclusive === false) return `must be ${direction === "least" ? "greater" : "less"} than ${limit}`;
      return `must be at ${direction} ${limit}`;
  }
}

/**
 * A field error in words a caller can act on: what the field must be, never zod's own
 * "Invalid input: expected string, received undefined". Passed to safeParse as its error map,
 * so a schema's own message ("must be a list id") still wins; the path is the field's name
 * (validationError), so the message starts with the verb. undefined keeps zod's default.
 */
export function fieldIssueMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      // A coerced query parameter that is not a number arrives as NaN.
      if (typeof issue.input === "number" && Number.isNaN(issue.input)) return `must be ${KINDS[issue.expected] ?? issue.expected}`;
      if (issue.expected === "int" && typeof issue.input === "number") return "must be a whole number";
      return `must be ${KINDS[issue.expected] ?? issue.expected}, not ${kindOf(issue.input)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "too_small":
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      if (issue.origin === "array" && Number(issue.minimum) === 1) return "must have at least 1 item";
      return bound(issue, issue.minimum, "least");
    case "too_big":
      return bound(issue, issue.maximum, "most");
    case "invalid_format":
      if (issue.format === "regex") return `must match ${issue.pattern}`;
      if (issue.format === "starts_with" || issue.format === "ends_with" || issue.format === "includes") return undefined;
      return `must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      // validationError files this under each key's own name.
      return "is not a known field";
    case "invalid_union":
      return "does not match any accepted form";
    case "invalid_key":
      // The path ends at the key itself; say what a key must be.
      return `is not a valid key${issue.issues[0] ? `: ${issue.issues[0].message}` : ""}`;
    default:
      return undefined;
  }
}
