import type { Db } from "@/db";
import { type ContactChoice, listContactChoices, type PreferenceSource } from "@/db/queries/contact-preferences";
import { listCategories, type NotificationCategory } from "@/db/queries/notification-categories";
import { CHANNELS, type Channel } from "@/core/messages/channels";
import { effectivePreference, type PreferenceOrigin } from "@/core/preferences/effective-preference";

/** One cell: whether messages go out, why, and — for a contact's own choice — who set it and when. */
export type PreferenceCell = {
  enabled: boolean;
  origin: PreferenceOrigin;
  changedBy: PreferenceSource | null;
  changedAt: string | null;
};

export type PreferenceMatrix = {
  /** Channel-wide: what uncategorised messages follow, and categories the contact made no choice for. */
  channels: Partial<Record<Channel, PreferenceCell>>;
  categories: {
    key: string;
    name: string;
    description: string | null;
    required: boolean;
    urgent: boolean;
    channels: Partial<Record<Channel, PreferenceCell>>;
  }[];
};

function cell(enabled: boolean, origin: PreferenceOrigin, choice: ContactChoice | undefined): PreferenceCell {
  const own = origin === "contact_category" || origin === "contact_channel";
  return { enabled, origin, changedBy: own && choice ? choice.source : null, changedAt: own && choice ? choice.updatedAt.toISOString() : null };
}

/**
 * A contact's effective preferences, every category × `channels` plus the channel-wide row, each
 * cell answered by the same rule the send paths use (effectivePreference), so what the API and
 * the preference center show is exactly what sending will do.
 */
export function buildPreferenceMatrix(categories: readonly NotificationCategory[], choices: readonly ContactChoice[], channels: readonly Channel[] = CHANNELS): PreferenceMatrix {
  const find = (channel: Channel, key: string | null) => choices.find((c) => c.channel === channel && c.categoryKey === key);
  const wide: PreferenceMatrix["channels"] = {};
  for (const channel of channels) {
    const choice = find(channel, null);
    const { enabled, origin } = effectivePreference(null, channel, { channelWide: choice?.enabled });
    wide[channel] = cell(enabled, origin, choice);
  }
  return {
    channels: wide,
    categories: categories.map((category) => {
      const cells: PreferenceMatrix["categories"][number]["channels"] = {};
      for (const channel of channels) {
        const own = find(channel, category.key);
        const channelWide = find(channel, null);
        const { enabled, origin } = effectivePreference(category, channel, { category: own?.enabled, channelWide: channelWide?.enabled });
        cells[channel] = cell(enabled, origin, origin === "contact_category" ? own : channelWide);
      }
      const { key, name, description, required, urgent } = category;
      return { key, name, description, required, urgent, channels: cells };
    }),
  };
}

export async function preferenceMatrix(db: Db, params: { workspaceId: string; contactId: string; channels?: readonly Channel[] }): Promise<PreferenceMatrix> {
  const [categories, choices] = await Promise.all([listCategories(db, params), listContactChoices(db, params)]);
  return buildPreferenceMatrix(categories, choices, params.channels);
}
