import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { categoryKey } from "./category-request";

/** Per request: every cell of a generous matrix (20 categories × 5 channels) at once. */
export const PREFERENCE_CHANGES_MAX = 100;

export const preferenceChange = z.strictObject({
  channel: z.enum(CHANNELS),
  category: categoryKey.nullable().optional().meta({ description: "A category key of the workspace; left out or null: the whole channel (every optional category, and uncategorised messages)" }),
  enabled: z.boolean(),
});

/** PATCH /api/v1/contacts/{id}/preferences: the cells to change; the others stay as they are. */
export const preferenceChangeRequest = z.strictObject({
  preferences: z.array(preferenceChange).min(1).max(PREFERENCE_CHANGES_MAX).meta({ description: "The cells to change, applied in order (the last one for the same cell wins)" }),
});

export type PreferenceChange = z.infer<typeof preferenceChange>;
