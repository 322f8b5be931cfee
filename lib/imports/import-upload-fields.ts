import { z } from "zod";
import { CONTACT_FIELDS } from "@/core/imports/contact-fields";
import { IMPORT_MODES } from "./create-import";
import { IMPORT_MAX_COLUMNS } from "./limits";
import { IMPORT_ATTRIBUTE_KEY_PATTERN } from "@/core/imports/map-header";

const MAPPING_TARGET_RULE = `must be one of ${CONTACT_FIELDS.join(", ")}, "ignore" or "attribute:<key>" (lower-case letters, digits, underscores)`;

// The rule is the union's own message: a value that matches no branch fails all three, and
// zod's words for that ("Invalid input") tell the person nothing about what would work.
const mappingTarget = z.union(
  [
    z.enum(CONTACT_FIELDS),
    z.literal("ignore"),
    z.custom<`attribute:${string}`>(
      (value) => typeof value === "string" && value.startsWith("attribute:") && IMPORT_ATTRIBUTE_KEY_PATTERN.test(value.slice("attribute:".length)),
      { message: MAPPING_TARGET_RULE },
    ),
  ],
  { error: MAPPING_TARGET_RULE },
);

/** `mapping`: a JSON object of header text → target, sent as a form field string. */
const mapping = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(z.string().trim().min(1).max(500), mappingTarget)
      .refine((value) => Object.keys(value).length <= IMPORT_MAX_COLUMNS, `may name at most ${IMPORT_MAX_COLUMNS} columns`),
  );

/** The non-file fields of POST /api/v1/imports. Unknown fields are refused, not ignored. */
export const importUploadFields = z.strictObject({
  listId: z.uuid().optional(),
  mode: z.enum(IMPORT_MODES).default("upsert"),
  mapping: mapping.optional(),
  sheet: z.string().trim().min(1).max(200).optional(),
  /** Where tags, labels, groups and categories go: attribute `tags` (default), or lists of those names. */
  tagsAs: z.enum(["attribute", "lists"]).default("attribute"),
});
