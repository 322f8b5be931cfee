import { z } from "zod";
import { channel, messageKind } from "@/db/schema";
import type { DeadLetterFilter } from "@/db/queries/dead-letters";
import { pageParams } from "@/lib/api/pagination";

/** The most dead letters one "retry all matching" takes out of the list; call again for the rest. */
export const MAX_RETRY_BATCH = 500;
export const DEFAULT_RETRY_BATCH = 100;

const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .meta({ description: "ISO 8601 date-time" });

/** The filter shared by the list, the CSV export and "retry all matching". */
const filterShape = {
  channel: z.enum(channel.enumValues).optional(),
  kind: z.enum(messageKind.enumValues).optional().meta({ description: "transactional or campaign (only transactional ones can be retried)" }),
  error: z.string().trim().min(1).max(200).optional().meta({ description: "Text the error contains, any case" }),
  since: instant.optional().meta({ description: "Dead-lettered at or after this time" }),
  until: instant.optional().meta({ description: "Dead-lettered before this time" }),
};

type FilterInput = { channel?: DeadLetterFilter["channel"]; kind?: DeadLetterFilter["kind"]; error?: string; since?: Date; until?: Date };

const sinceBeforeUntil = (value: FilterInput) => !value.since || !value.until || value.since < value.until;
const sinceBeforeUntilIssue = { message: "must be later than `since`", path: ["until"] };

/** The API's filter words as the query's. */
export function deadLetterFilter(input: FilterInput): DeadLetterFilter {
  return { channel: input.channel, kind: input.kind, errorContains: input.error, from: input.since, to: input.until };
}

/** GET /api/v1/dead-letters (and /export): every filter optional, newest first. */
export const deadLettersQuery = z.strictObject({ ...filterShape, ...pageParams }).refine(sinceBeforeUntil, sinceBeforeUntilIssue);

export const deadLettersExportQuery = z.strictObject(filterShape).refine(sinceBeforeUntil, sinceBeforeUntilIssue);

/** POST /api/v1/dead-letters/retry: the list's filter and how many to take at most. */
export const deadLettersRetryBody = z
  .strictObject({
    ...filterShape,
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_RETRY_BATCH)
      .default(DEFAULT_RETRY_BATCH)
      .meta({ description: `How many to retry at most, oldest first (1–${MAX_RETRY_BATCH}, ${DEFAULT_RETRY_BATCH} unless given); call again for the rest` }),
  })
  .refine(sinceBeforeUntil, sinceBeforeUntilIssue);
