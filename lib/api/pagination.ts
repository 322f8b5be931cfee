import { z } from "zod";
import { decodeCursor } from "./cursor";

/** `limit` and `cursor` query parameters, shared by every list endpoint; spread into a strictObject. */
export const pageParams = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const position = decodeCursor(value);
      if (!position) ctx.addIssue({ code: "custom", message: "is not a valid cursor" });
      return position ?? undefined;
    }),
};
