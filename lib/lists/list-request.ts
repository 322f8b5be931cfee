import { z } from "zod";

export const LIST_NAME_MAX_LENGTH = 200;
export const LIST_DESCRIPTION_MAX_LENGTH = 2000;
/** Per request: big enough for a page of a UI selection, small enough for one statement; imports handle bulk. */
export const MEMBERSHIP_BATCH_MAX = 1000;

const name = z.string().trim().min(1).max(LIST_NAME_MAX_LENGTH);
const description = z.string().trim().max(LIST_DESCRIPTION_MAX_LENGTH).nullable();

export const listCreateRequest = z.strictObject({ name, description: description.optional() });

export const listPatchRequest = z
  .strictObject({ name: name.optional(), description: description.optional() })
  .refine((value) => value.name !== undefined || value.description !== undefined, "names no field to change");

/** `{contactIds}` for adding or removing members; duplicates are collapsed, not refused. */
export const membershipRequest = z.strictObject({
  contactIds: z
    .array(z.uuid("must be a contact id"))
    .min(1)
    .max(MEMBERSHIP_BATCH_MAX)
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .meta({ description: "Contact ids; duplicates are collapsed" }),
});
