import { z } from "zod";

/**
 * Schemas shared by every resource's contract: ids in paths, timestamps, pages and the error
 * body. Ids registered with `id` become components in the OpenAPI document.
 */

/** `{id}` in a path. A malformed id is not a 400: it is simply not found (no hint about what ids look like). */
export function idParams(what: string) {
  return z.object({ id: z.uuid().meta({ description: `The ${what}'s id (a UUID); any other value answers 404` }) });
}

/** Any JSON value (attributes, filters): one component instead of a copy per use. */
export const jsonValue = z.json().meta({ id: "JsonValue" });

export const timestamp = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601 date-time" });
export const nullableTimestamp = timestamp.nullable();

/** A page of a list, newest first: pass `nextCursor` back as `?cursor=` for the next one. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().meta({ description: "The next page's `cursor`; null on the last page" }),
  });
}
