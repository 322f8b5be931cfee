import { z } from "zod";
import { ATTRIBUTE_KEY_PATTERN, ATTRIBUTE_KEY_RULE } from "@/core/contacts/attribute-key";
import { boundedJson } from "@/core/validation/bounded-json";
import { DURATION_RULE, durationHours } from "./duration";
import { OPS_BY_FIELD_KIND, SEGMENT_FIELD_KINDS, SEGMENT_FIELDS, type SegmentField } from "./segment-fields";

/** Nesting of all/any/not; deeper trees are a sign of generated filters that belong in a list. */
export const MAX_FILTER_DEPTH = 8;
/** Every node counts, groups included: bounds the size of the SQL a filter compiles to. */
export const MAX_FILTER_NODES = 200;
export const MAX_IN_VALUES = 500;
export const MAX_VALUE_LENGTH = 1000;
/**
 * The raw JSON around the filter: a group costs two levels (object, array), so this leaves room
 * for MAX_FILTER_DEPTH groups and an `in` list, and stops junk nested inside a condition's value.
 */
export const MAX_FILTER_JSON_DEPTH = 2 * MAX_FILTER_DEPTH + 4;
export const MAX_FILTER_BYTES = 256 * 1024;

export const ENGAGEMENTS = ["opened", "clicked", "delivered", "bounced"] as const;
export type Engagement = (typeof ENGAGEMENTS)[number];

export type TextOp = "eq" | "neq" | "contains" | "starts_with" | "ends_with";
export type CompareOp = "gt" | "gte" | "lt" | "lte";
export type RelativeOp = "before" | "after";
export type Scalar = string | number | boolean;

export type FieldCondition =
  | { field: SegmentField; op: TextOp; value: string }
  | { field: SegmentField; op: "in"; value: string[] }
  | { field: SegmentField; op: "exists"; value: boolean }
  | { field: SegmentField; op: CompareOp; value: string }
  | { field: SegmentField; op: RelativeOp; value: string }
  | { field: SegmentField; op: "on"; value: string };

export type AttributeCondition =
  | { attribute: string; op: "eq" | "neq"; value: Scalar }
  | { attribute: string; op: "in"; value: Scalar[] }
  | { attribute: string; op: "contains" | "starts_with" | "ends_with"; value: string }
  | { attribute: string; op: CompareOp; value: number | string }
  | { attribute: string; op: "exists"; value: boolean };

export type SegmentFilter =
  | { all: SegmentFilter[] }
  | { any: SegmentFilter[] }
  | { not: SegmentFilter }
  | FieldCondition
  | AttributeCondition
  | { inList: string }
  | { engagement: Engagement; within: string; channel?: "email" | "sms" }
  | { engaged: { within: string } }
  | { engagementScore: { op: CompareOp; value: number } };

/** The highest engagement score a filter may ask for: far above any real contact's, low enough to stay a plain number. */
export const MAX_ENGAGEMENT_SCORE = 1_000_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isRealDate(value: string): boolean {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value.slice(0, 10);
}

/**
 * Years 1 to 9999, for the day and for the instant in UTC. PostgreSQL has no year 0 and
 * rejects "0000-01-01"; an offset can carry 9999-12-31T23:00-05:00 into year 10000, which
 * JavaScript writes as "+010000-…" and PostgreSQL cannot read. Either saved as a filter would
 * break every count and campaign that uses it.
 */
export const EARLIEST_DATE = "0001-01-01";
export const LATEST_DATE = "9999-12-31";
const EARLIEST_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);
const DATE_RANGE_RULE = `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`;

function inRange(value: string): boolean {
  const day = value.slice(0, 10);
  const instant = new Date(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value).getTime();
  return day >= EARLIEST_DATE && day <= LATEST_DATE && instant >= EARLIEST_MS && instant <= LATEST_MS;
}

/** "--11-23" → {month: 11, day: 23}; "--11" → {month: 11}; undefined when it is neither or names no real day. */
export function monthDay(value: string): { month: number; day?: number } | undefined {
  const match = /^--(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return undefined;
  if (match[2] === undefined) return { month };
  const day = Number(match[2]);
  const daysInMonth = month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day >= 1 && day <= daysInMonth ? { month, day } : undefined;
}

const text = z.string().min(1).max(MAX_VALUE_LENGTH);
const duration = z.string().refine((value) => durationHours(value) !== undefined, DURATION_RULE);
const field = z.enum(SEGMENT_FIELDS);

const fieldCondition = z
  .discriminatedUnion("op", [
    z.strictObject({ field, op: z.enum(["eq", "neq", "contains", "starts_with", "ends_with"]), value: text }),
    z.strictObject({ field, op: z.literal("in"), value: z.array(text).min(1).max(MAX_IN_VALUES) }),
    z.strictObject({ field, op: z.literal("exists"), value: z.boolean().default(true) }),
    z.strictObject({ field, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.string() }),
    z.strictObject({ field, op: z.enum(["before", "after"]), value: duration }),
    z.strictObject({ field, op: z.literal("on"), value: z.string() }),
  ])
  .superRefine((condition, ctx) => {
    const kind = SEGMENT_FIELD_KINDS[condition.field];
    const ops = OPS_BY_FIELD_KIND[kind];
    if (!ops.includes(condition.op)) {
      ctx.addIssue({ code: "custom", path: ["op"], message: `"${condition.op}" does not apply to ${condition.field}; use one of ${ops.join(", ")}` });
      return;
    }
    const values = Array.isArray(condition.value) ? condition.value : [condition.value];
    if (kind === "status" && !values.every((value) => value === "subscribed" || value === "unsubscribed")) {
      ctx.addIssue({ code: "custom", path: ["value"], message: 'status is "subscribed" or "unsubscribed"' });
    }
    const comparesDates = ["eq", "neq", "gt", "gte", "lt", "lte"].includes(condition.op);
    if (kind === "date" && comparesDates) {
      const value = String(condition.value);
      if (!(ISO_DATE.test(value) && isRealDate(value))) ctx.addIssue({ code: "custom", path: ["value"], message: "must be a date as YYYY-MM-DD" });
      else if (!inRange(value)) ctx.addIssue({ code: "custom", path: ["value"], message: DATE_RANGE_RULE });
    }
    if (condition.op === "on" && !monthDay(condition.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: 'must be a month and day as --MM-DD (e.g. "--11-23") or a month as --MM' });
    }
    if (kind === "timestamp" && comparesDates) {
      const value = String(condition.value);
      const valid = (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) && isRealDate(value) && !Number.isNaN(new Date(value).getTime());
      if (!valid) ctx.addIssue({ code: "custom", path: ["value"], message: "must be a date (YYYY-MM-DD) or a date-time with offset (ISO 8601)" });
      else if (!inRange(value)) ctx.addIssue({ code: "custom", path: ["value"], message: `${DATE_RANGE_RULE} (in UTC)` });
    }
  });

const attributeKey = z.string().regex(ATTRIBUTE_KEY_PATTERN, `attribute names ${ATTRIBUTE_KEY_RULE}`);
const scalar = z.union([text, z.number(), z.boolean()]);

const attributeCondition = z.discriminatedUnion("op", [
  z.strictObject({ attribute: attributeKey, op: z.enum(["eq", "neq"]), value: scalar }),
  z.strictObject({ attribute: attributeKey, op: z.literal("in"), value: z.array(scalar).min(1).max(MAX_IN_VALUES) }),
  z.strictObject({ attribute: attributeKey, op: z.enum(["contains", "starts_with", "ends_with"]), value: text }),
  z.strictObject({ attribute: attributeKey, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.union([z.number(), text]) }),
  z.strictObject({ attribute: attributeKey, op: z.literal("exists"), value: z.boolean().default(true) }),
]);

const NODE_KINDS = ["all", "any", "not", "field", "attribute", "inList", "engagement", "engaged", "engagementScore"] as const;
type NodeKind = (typeof NODE_KINDS)[number];

const nodeSchemas: Record<NodeKind, z.ZodType> = {
  all: z.strictObject({ all: z.array(z.lazy(() => filterNode)) }),
  any: z.strictObject({ any: z.array(z.lazy(() => filterNode)) }),
  not: z.strictObject({ not: z.lazy(() => filterNode) }),
  field: fieldCondition,
  attribute: attributeCondition,
  inList: z.strictObject({ inList: z.uuid("must be a list id") }),
  engagement: z.strictObject({ engagement: z.enum(ENGAGEMENTS), within: duration, channel: z.enum(["email", "sms"]).optional() }),
  // A person's open or click (or in-app seen) within the window, from the contact's engagement rollup.
  engaged: z.strictObject({ engaged: z.strictObject({ within: duration }) }),
  // The decayed score (core/analytics/engagement-score.ts) as it stands when the filter runs.
  engagementScore: z.strictObject({
    engagementScore: z.strictObject({ op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number().min(0).max(MAX_ENGAGEMENT_SCORE) }),
  }),
};

/**
 * Picks the node's schema by its distinguishing key, so an error names what is wrong with
 * that node ("op" does not apply to createdAt) instead of zod's "matches no union member".
 */
const filterNode: z.ZodType<SegmentFilter> = z.unknown().transform((value, ctx) => {
  const kinds = value !== null && typeof value === "object" && !Array.isArray(value) ? NODE_KINDS.filter((kind) => kind in value) : [];
  if (kinds.length !== 1) {
    ctx.addIssue({
      code: "custom",
      message:
        kinds.length === 0
          ? 'must be a filter: {"all": [...]}, {"any": [...]}, {"not": ...}, {"field": ...}, {"attribute": ...}, {"inList": ...}, {"engagement": ...}, {"engaged": ...} or {"engagementScore": ...}'
          : `combines ${kinds.join(" and ")}; wrap the parts in {"all": [...]}`,
    });
    return z.NEVER;
  }
  const parsed = nodeSchemas[kinds[0]!].safeParse(value);
  if (parsed.success) return parsed.data as SegmentFilter;
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

/**
 * Walks the raw JSON before any recursive parsing, so a hostile filter nested thousands deep
 * is refused by a loop rather than by the stack.
 */
function checkLimits(value: unknown, ctx: z.RefinementCtx): void {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    nodes += 1;
    if (depth > MAX_FILTER_DEPTH) {
      ctx.addIssue({ code: "custom", message: `is nested deeper than ${MAX_FILTER_DEPTH} levels` });
      return;
    }
    if (nodes > MAX_FILTER_NODES) {
      ctx.addIssue({ code: "custom", message: `has more than ${MAX_FILTER_NODES} conditions and groups` });
      return;
    }
    if (node === null || typeof node !== "object") continue;
    const record = node as Record<string, unknown>;
    for (const key of ["all", "any"] as const) {
      const children = record[key];
      if (Array.isArray(children)) for (const child of children) stack.push({ node: child, depth: depth + 1 });
    }
    if ("not" in record) stack.push({ node: record.not, depth: depth + 1 });
  }
}

/**
 * A segment filter. `{all: []}` matches every contact and `{any: []}` none; text comparisons
 * ignore case; date comparisons take YYYY-MM-DD or ISO 8601 date-times; `before`/`after`
 * take a window back from now ("after 30d" = within the last 30 days).
 */
export const segmentFilter: z.ZodType<SegmentFilter> = boundedJson({ maxDepth: MAX_FILTER_JSON_DEPTH, maxBytes: MAX_FILTER_BYTES })
  .superRefine(checkLimits)
  .pipe(filterNode)
  .meta({
    type: "object",
    description: `A condition — \`{field, op, value}\` on ${SEGMENT_FIELDS.join(", ")}; \`{attribute, op, value}\`; \`{inList: <list id>}\`; \`{engagement: ${ENGAGEMENTS.join("|")}, within, channel?}\`; \`{engaged: {within: "30d"}}\` (a person opened or clicked anything within the window); \`{engagementScore: {op: gt|gte|lt|lte, value}}\` (the contact's engagement score, open 1 and click 3, halving every 30 days, as it stands when the filter runs; 0 for a contact who never engaged) — or a group: \`{all: [...]}\`, \`{any: [...]}\`, \`{not: ...}\`. At most ${MAX_FILTER_DEPTH} levels of groups and ${MAX_FILTER_NODES} conditions and groups`,
    example: { all: [{ field: "email", op: "ends_with", value: "@example.com" }, { attribute: "plan", op: "eq", value: "pro" }] },
  });

/** Parses a stored filter again before compiling: the language may have tightened since it was saved. */
export function parseSegmentFilter(value: unknown): SegmentFilter {
  return segmentFilter.parse(value);
}

/**
 * A stored filter checked again, or why it cannot be used, in words an API caller can act on
 * ("filter.value must be between 0001-01-01 and 9999-12-31"). A filter saved before a rule
 * tightened then fails with that message, never as SQL that PostgreSQL refuses.
 */
export function readStoredSegmentFilter(value: unknown): { ok: true; filter: SegmentFilter } | { ok: false; message: string } {
  const parsed = segmentFilter.safeParse(value);
  if (parsed.success) return { ok: true, filter: parsed.data };
  const problems = parsed.error.issues.slice(0, 3).map((issue) => `${["filter", ...issue.path].join(".")} ${issue.message}`);
  return { ok: false, message: `its saved filter is no longer valid: ${problems.join("; ")}` };
}
