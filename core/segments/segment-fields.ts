import { CONTACT_FIELD_KINDS } from "@/core/contacts/contact-fields";

/**
 * The contact fields a segment may filter on, by kind: every contact field and the fields
 * Sendline keeps. This is the allow-list: a name not
 * here never reaches SQL (db/queries/compile-segment-filter.ts maps each to its column).
 */
export const SEGMENT_FIELD_KINDS = {
  ...CONTACT_FIELD_KINDS,
  status: "status",
  createdAt: "timestamp",
  updatedAt: "timestamp",
  unsubscribedAt: "timestamp",
} as const;

export type SegmentField = keyof typeof SEGMENT_FIELD_KINDS;
export type SegmentFieldKind = (typeof SEGMENT_FIELD_KINDS)[SegmentField];

export const SEGMENT_FIELDS = Object.keys(SEGMENT_FIELD_KINDS) as [SegmentField, ...SegmentField[]];

export const OPS_BY_FIELD_KIND: Record<SegmentFieldKind, readonly string[]> = {
  text: ["eq", "neq", "in", "contains", "starts_with", "ends_with", "exists"],
  status: ["eq", "neq", "in"],
  // "on" matches a month and day ("--11-23") or a month ("--11") whatever the year, so birthdays
  // without a year take part; the other comparisons need the year.
  date: ["eq", "neq", "gt", "gte", "lt", "lte", "before", "after", "exists", "on"],
  timestamp: ["gt", "gte", "lt", "lte", "before", "after", "exists"],
};
