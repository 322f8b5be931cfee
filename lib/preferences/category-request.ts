import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { CATEGORY_KEY_PATTERN, CATEGORY_KEY_RULE } from "@/core/preferences/category-key";

export const CATEGORY_NAME_MAX_LENGTH = 200;
export const CATEGORY_DESCRIPTION_MAX_LENGTH = 2000;

export const categoryKey = z.string().regex(CATEGORY_KEY_PATTERN, `must be ${CATEGORY_KEY_RULE}`).meta({ description: `The category's key: ${CATEGORY_KEY_RULE}`, example: "billing" });

const name = z.string().trim().min(1).max(CATEGORY_NAME_MAX_LENGTH).meta({ description: "What contacts see on the preference center", example: "Billing" });
const description = z.string().trim().max(CATEGORY_DESCRIPTION_MAX_LENGTH).nullable().meta({ description: "A line under the name on the preference center" });
const required = z.boolean().meta({ description: "Security mail and the like: no contact can opt out of it, on any channel" });
const urgent = z.boolean().meta({ description: "Urgent messages go out at once, through quiet hours" });
/** A strict object, so an unknown channel is an error naming the channels there are. */
const channelDefaults = z
  .strictObject(Object.fromEntries(CHANNELS.map((channel) => [channel, z.boolean().optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodBoolean>>, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `is not a channel; the channels are ${CHANNELS.join(", ")}` : undefined),
  })
  .meta({ description: `The workspace default per channel for contacts who never chose (${CHANNELS.join(", ")}): a channel left out is on; \`{ "sms": false }\` makes SMS opt-in` });

export const categoryCreateRequest = z.strictObject({
  key: categoryKey,
  name,
  description: description.optional(),
  required: required.default(false),
  urgent: urgent.default(false),
  channelDefaults: channelDefaults.default({}),
});

export const categoryPatchRequest = z
  .strictObject({ name: name.optional(), description: description.optional(), required: required.optional(), urgent: urgent.optional(), channelDefaults: channelDefaults.optional() })
  .refine((value) => Object.values(value).some((v) => v !== undefined), "names no field to change");

export type CategoryCreateRequest = z.infer<typeof categoryCreateRequest>;
