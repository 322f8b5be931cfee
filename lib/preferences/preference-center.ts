import type { Db } from "@/db";
import { type Contact, getContact } from "@/db/queries/contacts";
import { findMessageById } from "@/db/queries/messages";
import { CHANNEL_ADDRESS, CHANNELS, type Channel } from "@/core/messages/channels";
import { buildPreferenceMatrix, type PreferenceMatrix } from "./preference-matrix";
import { listContactChoices, setContactChoices, type ChoiceCell } from "@/db/queries/contact-preferences";
import { listCategories } from "@/db/queries/notification-categories";

/** The form's name for a cell: `<category key>:<channel>`, `*` for the channel-wide row (no key can be `*`). */
export const CHANNEL_WIDE_FIELD = "*";
export const cellField = (key: string | null, channel: Channel) => `${key ?? CHANNEL_WIDE_FIELD}:${channel}`;

export type PreferenceCenter = { contact: Contact; channels: Channel[]; matrix: PreferenceMatrix };

/** The channels a contact can be reached on: an address for email, a number for SMS and WhatsApp; push and in-app go to the contact itself. */
export function reachableChannels(contact: Pick<Contact, "email" | "phone">): Channel[] {
  return CHANNELS.filter((channel) => {
    const address = CHANNEL_ADDRESS[channel];
    return address === "contact" || (address === "email" ? Boolean(contact.email) : Boolean(contact.phone));
  });
}

/**
 * What the preference center of a message's link shows: its contact's matrix over the channels
 * the contact can receive. The workspace and contact come from the message row, never from the
 * request (invariant 5); undefined when the message or its contact is gone.
 */
export async function loadPreferenceCenter(db: Db, params: { messageId: string }): Promise<PreferenceCenter | undefined> {
  const message = await findMessageById(db, params);
  if (!message?.contactId) return undefined;
  const contact = await getContact(db, { workspaceId: message.workspaceId, contactId: message.contactId });
  if (!contact) return undefined;
  const ids = { workspaceId: contact.workspaceId, contactId: contact.id };
  const [categories, choices] = await Promise.all([listCategories(db, ids), listContactChoices(db, ids)]);
  const channels = reachableChannels(contact);
  return { contact, channels, matrix: buildPreferenceMatrix(categories, choices, channels) };
}

/**
 * Saves the preference center's form. A checkbox that is not ticked is not sent, so every cell
 * the page showed is read as on (ticked) or off; only cells whose answer differs from what the
 * page showed are written (see below), so a cell left alone keeps following the workspace default. Required
 * categories are never written (their boxes are locked, and a forged field for one is ignored).
 */
export async function savePreferenceCenter(db: Db, center: PreferenceCenter, form: Pick<URLSearchParams, "has">): Promise<number> {
  const categories = await listCategories(db, { workspaceId: center.contact.workspaceId });
  const idOf = new Map(categories.map((c) => [c.key, c.id]));
  const cells: ChoiceCell[] = [];
  for (const channel of center.channels) {
    const wide = center.matrix.channels[channel]!;
    const on = form.has(cellField(null, channel));
    if (on !== wide.enabled) cells.push({ channel, categoryId: null, enabled: on });
  }
  // What the page shows after saving is exactly what was ticked. A changed channel-wide cell
  // clears the channel's category choices, so every category cell of that channel is written as
  // ticked, after it; on other channels only the cells the contact changed are.
  const wideChanged = new Set(cells.map((c) => c.channel));
  for (const category of center.matrix.categories) {
    const categoryId = idOf.get(category.key);
    if (category.required || !categoryId) continue;
    for (const channel of center.channels) {
      const on = form.has(cellField(category.key, channel));
      if (wideChanged.has(channel) || on !== category.channels[channel]!.enabled) cells.push({ channel, categoryId, enabled: on });
    }
  }
  await setContactChoices(db, { workspaceId: center.contact.workspaceId, contactId: center.contact.id, cells, source: "preference_center" });
  return cells.length;
}
