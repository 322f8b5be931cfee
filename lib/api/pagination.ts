import { z } from "zod";
import { decodeCursor, decodeIdCursor } from "@/core/pagination/cursor";

/** A `cursor` query parameter read by `decode` (a page's `nextCursor`); an undecodable one is a field error. */
export function cursorParam<T>(decode: (cursor: string) => T | null | undefined) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const position = decode(value);
      if (position === null || position === undefined) ctx.addIssue({ code: "custom", message: "is not a valid cursor" });
      return position ?? undefined;
    })
    .meta({ description: "The previous page's `nextCursor`, unchanged" });
}

/** `limit` and `cursor` query parameters, shared by every list endpoint; spread into a strictObject. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "Rows per page, 1–100" }),
  cursor: cursorParam(decodeCursor),
};

/** `limit` and an id-order `cursor` (encodeIdCursor), for lists read along a primary key. */
export const idPageParams = {
  limit: pageParams.limit,
  cursor: cursorParam(decodeIdCursor),
};
