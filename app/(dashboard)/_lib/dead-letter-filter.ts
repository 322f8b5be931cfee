import type { DeadLetterFilter } from "@/db/queries/dead-letters";
import { channel, messageKind } from "@/db/schema";

/** The dead-letter page's filter as its form and links carry it: every value a string, dates as YYYY-MM-DD (UTC). */
export type DeadLetterPageFilter = { channel?: string; kind?: string; error?: string; from?: string; to?: string };

export const DEAD_LETTER_FILTER_FIELDS = ["channel", "kind", "error", "from", "to"] as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string | undefined): Date | undefined {
  if (!value || !DATE.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((candidate) => candidate === value);
}

/**
 * What the page's filter selects. Unknown values are ignored rather than failing (a page, not the
 * API); `to` is a whole day, so the query's bound is the next midnight.
 */
export function deadLetterPageFilter(input: DeadLetterPageFilter): DeadLetterFilter {
  const to = day(input.to);
  const error = input.error?.trim().slice(0, 200);
  return {
    channel: oneOf(channel.enumValues, input.channel),
    kind: oneOf(messageKind.enumValues, input.kind),
    errorContains: error || undefined,
    from: day(input.from),
    to: to ? new Date(to.getTime() + DAY_MS) : undefined,
  };
}

/** The filter's fields from a query string or a form, keeping only non-empty strings. */
export function readPageFilter(read: (name: string) => unknown): DeadLetterPageFilter {
  const filter: DeadLetterPageFilter = {};
  for (const name of DEAD_LETTER_FILTER_FIELDS) {
    const value = read(name);
    if (typeof value === "string" && value.trim()) filter[name] = value.trim();
  }
  return filter;
}
