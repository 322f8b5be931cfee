import { z } from "zod";
import { CHANNELS } from "@/core/messages/channels";
import { contactPreferences } from "@/db/schema";
import { apiOperation } from "@/lib/api/api-operation";
import { preferenceChangeRequest } from "@/lib/preferences/preference-change-request";
import { idParams, nullableTimestamp } from "./common";

const tag = "Preferences";

const cellSchema = z
  .object({
    enabled: z.boolean().meta({ description: "Whether messages of this category go out on this channel" }),
    origin: z.enum(["required", "contact_category", "contact_channel", "workspace_default"]).meta({
      description:
        "Why: `required` (no one can opt out), the contact's choice for this category (`contact_category`) or for the whole channel (`contact_channel`), or the workspace default",
    }),
    changedBy: z.enum(contactPreferences.source.enumValues).nullable().meta({ description: "Who made the contact's choice (api, preference_center, unsubscribe); null for a default" }),
    changedAt: nullableTimestamp,
  })
  .meta({ id: "PreferenceCell" });

const cells = z.partialRecord(z.enum(CHANNELS), cellSchema);

export const preferenceMatrixSchema = z
  .object({
    contactId: z.uuid(),
    channels: cells.meta({ description: "Channel-wide: what uncategorised messages follow" }),
    categories: z.array(
      z.object({ key: z.string(), name: z.string(), description: z.string().nullable(), required: z.boolean(), urgent: z.boolean(), channels: cells }),
    ),
  })
  .meta({ id: "PreferenceMatrix" });

export const preferencesApi = {
  get: apiOperation({
    method: "get",
    path: "/contacts/{id}/preferences",
    tag,
    summary: "A contact's effective preferences: every category × channel",
    description: "Each cell is what sending will do, by the same rule: a required category is on; else the contact's choice for the category, else its channel-wide choice, else the category's workspace default, else on.",
    params: idParams("contact"),
    responses: { 200: { description: "The matrix", schema: preferenceMatrixSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
  update: apiOperation({
    method: "patch",
    path: "/contacts/{id}/preferences",
    tag,
    summary: "Change some of a contact's preferences",
    description:
      "A cell without `category` is the channel-wide choice, and also clears the contact's category choices on that channel (\"no SMS\" means none). Required categories cannot be changed (400). Nothing is written unless every cell is valid.",
    params: idParams("contact"),
    body: preferenceChangeRequest,
    responses: { 200: { description: "The matrix after the change", schema: preferenceMatrixSchema } },
    errors: { 404: "No such contact in this workspace" },
  }),
};
