import { CHANNEL_LABELS, type Channel } from "@/core/messages/channels";

/** What a category contributes to the rule: its key, whether it is required, its workspace defaults. */
export type CategoryRule = {
  key: string;
  required: boolean;
  channelDefaults: Partial<Record<Channel, boolean>>;
};

/** A contact's stored choices for one channel: for the category in question, and channel-wide. */
export type ChannelChoices = {
  category?: boolean | undefined;
  channelWide?: boolean | undefined;
};

/**
 * Where a cell's answer comes from: `required` (no one can opt out), the contact's own choice for
 * the category or for the whole channel, or the workspace's default (the category's default for
 * the channel, on when it names none).
 */
export type PreferenceOrigin = "required" | "contact_category" | "contact_channel" | "workspace_default";

export type EffectivePreference = { enabled: boolean; origin: PreferenceOrigin };

/**
 * The one rule for whether a message of `category` (null: uncategorised) may go to a contact on
 * `channel`, used by every send path and by the preference matrix the API and the preference
 * center show. The most specific answer wins: a required category always passes; then the
 * contact's choice for this category on this channel; then the contact's channel-wide choice;
 * then the category's workspace default for the channel; then on.
 */
export function effectivePreference(category: CategoryRule | null, channel: Channel, choices: ChannelChoices): EffectivePreference {
  if (category?.required) return { enabled: true, origin: "required" };
  if (category && choices.category !== undefined) return { enabled: choices.category, origin: "contact_category" };
  if (choices.channelWide !== undefined) return { enabled: choices.channelWide, origin: "contact_channel" };
  return { enabled: category?.channelDefaults[channel] ?? true, origin: "workspace_default" };
}

/** Why a message was not sent, for its row and the dashboard; null when the preference lets it through. */
export function preferenceBlockReason(category: CategoryRule | null, channel: Channel, choices: ChannelChoices): string | null {
  const { enabled, origin } = effectivePreference(category, channel, choices);
  if (enabled) return null;
  const on = CHANNEL_LABELS[channel];
  if (origin === "contact_category") return `The contact opted out of ${category!.key} on ${on}`;
  if (origin === "contact_channel") return `The contact opted out of ${on}`;
  return `${category!.key} is off on ${on} unless the contact opts in`;
}
