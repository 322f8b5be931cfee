import { and, eq, gt, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { contactEngagement, contacts, listMembers, messages } from "@/db/schema";
import { ENGAGEMENT_HALF_LIFE_DAYS } from "@/core/analytics/engagement-score";
import { durationHours } from "@/core/segments/duration";
import type { SegmentField } from "@/core/segments/segment-fields";
import { type AttributeCondition, type CompareOp, type Engagement, type FieldCondition, monthDay, type SegmentFilter } from "@/core/segments/segment-filter";
import { visibleContact } from "./visible-contacts";

const FIELD_COLUMNS: Record<SegmentField, PgColumn> = {
  email: contacts.email,
  phone: contacts.phone,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  locale: contacts.locale,
  timezone: contacts.timezone,
  status: contacts.status,
  birthday: contacts.birthday,
  createdAt: contacts.createdAt,
  updatedAt: contacts.updatedAt,
  unsubscribedAt: contacts.unsubscribedAt,
};

/** A click proves an open even when the open pixel never loaded, so "opened" counts clicks too. */
const ENGAGEMENT_COLUMNS: Record<Engagement, PgColumn[]> = {
  opened: [messages.openedAt, messages.clickedAt],
  clicked: [messages.clickedAt],
  delivered: [messages.deliveredAt],
  bounced: [messages.bouncedAt],
};

const COMPARE = { gt, gte, lt, lte } as const;
const JSONB_COMPARE = { gt: sql`>`, gte: sql`>=`, lt: sql`<`, lte: sql`<=` } as const;

/**
 * Compiles a validated filter to a WHERE fragment over `contacts` (unaliased), scoped to the
 * workspace. Values, attribute names and list ids are always bound parameters; the only SQL
 * text comes from this file's allow-listed maps.
 */
export function compileSegmentFilter(filter: SegmentFilter, workspaceId: string): SQL {
  // Contacts pending erasure match no segment, list or audience (visible-contacts.ts).
  return and(eq(contacts.workspaceId, workspaceId), visibleContact, compileNode(filter, workspaceId))!;
}

function compileNode(filter: SegmentFilter, workspaceId: string): SQL {
  if ("all" in filter) return group(filter.all.map((child) => compileNode(child, workspaceId)), sql` and `, sql`true`);
  if ("any" in filter) return group(filter.any.map((child) => compileNode(child, workspaceId)), sql` or `, sql`false`);
  if ("not" in filter) return sql`not ${compileNode(filter.not, workspaceId)}`;
  if ("inList" in filter) {
    return sql`exists (select 1 from ${listMembers} where ${listMembers.listId} = ${filter.inList} and ${listMembers.contactId} = ${contacts.id} and ${listMembers.workspaceId} = ${workspaceId})`;
  }
  if ("engagement" in filter) return compileEngagement(filter, workspaceId);
  if ("engaged" in filter) {
    return sql`exists (select 1 from ${contactEngagement} where ${contactEngagement.contactId} = ${contacts.id} and ${contactEngagement.workspaceId} = ${workspaceId} and ${contactEngagement.lastEngagedAt} >= ${cutoff(filter.engaged.within)})`;
  }
  if ("engagementScore" in filter) return compileEngagementScore(filter.engagementScore, workspaceId);
  // Leaves are two-valued: a NULL comparison would make `not` drop rows it should keep.
  if ("attribute" in filter) return sql`coalesce(${compileAttribute(filter)}, false)`;
  return sql`coalesce(${compileField(filter)}, false)`;
}

function group(parts: SQL[], separator: SQL, empty: SQL): SQL {
  return parts.length === 0 ? empty : sql`(${sql.join(parts, separator)})`;
}

function cutoff(duration: string): SQL {
  const hours = durationHours(duration);
  if (hours === undefined) throw new Error(`Invalid duration ${JSON.stringify(duration)}: parse filters with segmentFilter first`);
  return sql`(now() - make_interval(hours => ${hours}::int))`;
}

function textMatch(subject: SQL, op: "contains" | "starts_with" | "ends_with", value: string): SQL {
  const needle = sql`lower(${value}::text)`;
  if (op === "contains") return sql`strpos(lower(${subject}), ${needle}) > 0`;
  if (op === "starts_with") return sql`starts_with(lower(${subject}), ${needle})`;
  return sql`right(lower(${subject}), char_length(${needle})) = ${needle}`;
}

function compileField(condition: FieldCondition): SQL {
  const column = FIELD_COLUMNS[condition.field];
  const caseless = column !== contacts.status && column !== contacts.birthday;
  switch (condition.op) {
    case "exists": {
      // A birthday without a year still exists: month and day are filled for every known birthday.
      const present = column === contacts.birthday ? contacts.birthdayMonth : column;
      return condition.value ? sql`${present} is not null` : sql`${present} is null`;
    }
    case "on": {
      const { month, day } = monthDay(condition.value)!;
      const sameMonth = eq(contacts.birthdayMonth, month);
      return day === undefined ? sameMonth : and(sameMonth, eq(contacts.birthdayDay, day))!;
    }
    case "eq":
      return caseless ? sql`lower(${column}) = lower(${condition.value}::text)` : eq(column, condition.value);
    case "neq":
      return caseless ? sql`lower(${column}) is distinct from lower(${condition.value}::text)` : sql`${column} is distinct from ${condition.value}`;
    case "in": {
      if (!caseless) return sql`${column} in (${sql.join(condition.value.map((value) => sql`${value}`), sql`, `)})`;
      return sql`lower(${column}) in (${sql.join(condition.value.map((value) => sql`lower(${value}::text)`), sql`, `)})`;
    }
    case "contains":
    case "starts_with":
    case "ends_with":
      return textMatch(sql`${column}`, condition.op, condition.value);
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return COMPARE[condition.op](column, column === contacts.birthday ? condition.value : new Date(condition.value));
    case "before":
      return sql`${column} < ${cutoff(condition.value)}`;
    case "after":
      return sql`${column} > ${cutoff(condition.value)}`;
  }
}

function compileAttribute(condition: AttributeCondition): SQL {
  // `->` with a text parameter: the key is validated by pattern, and it is a parameter anyway.
  const value = sql`(${contacts.attributes} -> ${condition.attribute}::text)`;
  const json = (item: unknown) => sql`${JSON.stringify(item)}::jsonb`;
  switch (condition.op) {
    case "exists":
      return sql`coalesce(jsonb_typeof(${value}), 'null') ${condition.value ? sql`<>` : sql`=`} 'null'`;
    case "eq":
      return sql`${value} = ${json(condition.value)}`;
    case "neq":
      return sql`${value} is distinct from ${json(condition.value)}`;
    case "in":
      return sql`${value} in (${sql.join(condition.value.map(json), sql`, `)})`;
    case "contains":
    case "starts_with":
    case "ends_with":
      return sql`jsonb_typeof(${value}) = 'string' and ${textMatch(sql`(${contacts.attributes} ->> ${condition.attribute}::text)`, condition.op, condition.value)}`;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      // jsonb orders numbers numerically and strings as text (ISO dates sort correctly); the
      // type guard keeps "10" from comparing against 9 and never raises a cast error.
      const type = typeof condition.value === "number" ? "number" : "string";
      return sql`jsonb_typeof(${value}) = ${type}::text and ${value} ${JSONB_COMPARE[condition.op]} ${json(condition.value)}`;
    }
  }
}

function compileEngagement(filter: Extract<SegmentFilter, { engagement: Engagement }>, workspaceId: string): SQL {
  const since = cutoff(filter.within);
  const within = group(
    ENGAGEMENT_COLUMNS[filter.engagement].map((column) => sql`${column} >= ${since}`),
    sql` or `,
    sql`false`,
  );
  const channel = filter.channel ? sql` and ${messages.channel} = ${filter.channel}` : sql``;
  return sql`exists (select 1 from ${messages} where ${messages.workspaceId} = ${workspaceId} and ${messages.contactId} = ${contacts.id} and ${within}${channel})`;
}

/**
 * The contact's score decayed to now (decayedScore in core/analytics/engagement-score.ts, in SQL:
 * the stored score halves every ENGAGEMENT_HALF_LIFE_DAYS since it was scored), so "score ≥ 2"
 * stops matching someone who stopped reading without any job rewriting scores. A contact who
 * never engaged has no row and a score of 0.
 */
function compileEngagementScore(condition: { op: CompareOp; value: number }, workspaceId: string): SQL {
  const decayed = sql`(select ${contactEngagement.score} * power(0.5, greatest(0, extract(epoch from (now() - ${contactEngagement.scoredAt}))) / (${ENGAGEMENT_HALF_LIFE_DAYS}::float8 * 86400))
    from ${contactEngagement} where ${contactEngagement.contactId} = ${contacts.id} and ${contactEngagement.workspaceId} = ${workspaceId})`;
  return sql`coalesce(${decayed}, 0) ${JSONB_COMPARE[condition.op]} ${condition.value}::float8`;
}
