import { z } from "zod";
import { decodeCursor, decodeIdCursor } from "@/core/pagination/cursor";

/** `limit` and `cursor` query parameters, shared by every list endpoint; spread into a strictObject. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "Rows per page, 1–100" }),
  cursor: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const position = decodeCursor(value);
      if (!position) ctx.addIssue({ code: "custom", message: "is not a valid cursor" });
      return position ?? undefined;
    })
    .meta({ description: "The previous page's `nextCursor`, unchanged" }),
};

/** `limit` and an id-order `cursor` (encodeIdCursor), for lists read along a primary key. */
export const idPageParams = {
  limit: pageParams.limit,
  cursor: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const id = decodeIdCursor(value);
      if (!id) ctx.addIssue({ code: "custom", message: "is not a valid cursor" });
      return id ?? undefined;
    })
    .meta({ description: "The previous page's `nextCursor`, unchanged" }),
};
