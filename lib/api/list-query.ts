import { z } from "zod";
import { decodeCursor } from "@/core/pagination/cursor";

/** Shared by every list endpoint and page: 1–100 rows, 50 unless asked. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

export const limitField = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).meta({ description: `Rows per page, 1–${MAX_PAGE_SIZE}` });

/** An opaque keyset cursor from a previous page's `nextCursor`, decoded to its position. */
export const cursorField = z.string().transform((cursor, ctx) => {
  const position = decodeCursor(cursor);
  if (!position) {
    ctx.addIssue({ code: "custom", message: "Invalid cursor: pass nextCursor from a previous page unchanged" });
    return z.NEVER;
  }
  return position;
}).meta({ description: "The previous page's `nextCursor`, unchanged" });

/** Fails every value: as a catchall, it turns each stray key into an error under its own name. */
const unknownParameter = z.custom<never>(() => false, { error: "is not a known field" });

/**
 * A query-string schema with `limit` and `cursor` that rejects unknown parameters field by
 * field. (`strictObject`, or a `z.never()` catchall, which zod turns into one, would report
 * them together under the body instead of under each name.)
 */
export function listQuery<T extends z.ZodRawShape>(shape: T) {
  return z.object({ ...shape, limit: limitField, cursor: cursorField.optional() }).catchall(unknownParameter);
}

/** The same, for a list keyed by something other than (time, uuid): its own cursor field. */
export function listQueryWithCursor<T extends z.ZodRawShape, C extends z.ZodType>(shape: T, cursor: C) {
  return z.object({ ...shape, limit: limitField, cursor: cursor.optional() }).catchall(unknownParameter);
}
