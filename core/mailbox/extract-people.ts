import { normalizeEmail } from "@/core/contacts/normalize-email";
import { isMachineSender } from "./automated-mail";
import { splitDisplayName } from "./display-name";
import type { MailboxAddress } from "./mailbox-types";
import { signatureFacts } from "./signature";

/** The contact fields a mailbox may fill. `email` is the key and always comes from a header. */
export const MAILBOX_CONTACT_FIELDS = ["email", "firstName", "lastName", "phone", "title", "company"] as const;
export type MailboxContactField = (typeof MAILBOX_CONTACT_FIELDS)[number];

/** One value read for a person, with the message it came from. */
export type PersonValue = { value: string; source: "header" | "signature"; messageKey: string; seenAt: string };

/** Everything a page says about one address: the newest value of each field, and when the address was seen. */
export type PersonCandidate = {
  email: string;
  values: Partial<Record<MailboxContactField, PersonValue>>;
  firstSeenAt: string;
  lastSeenAt: string;
};

/** The part of a parsed message extraction reads. `key` names the message (its Message-ID) in the result. */
export type ExtractableMessage = {
  key: string;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  cc: MailboxAddress[];
  replyTo: MailboxAddress[];
  sentAt: string | null;
  automatedReason: string | null;
  signature: string[] | null;
  /** Recipients past MAILBOX_MAX_RECIPIENTS_PER_MESSAGE: more than zero makes the message a broadcast. */
  recipientsDropped: number;
};

/**
 * The people a page of messages names, one candidate per address: From, To, Cc and Reply-To of
 * messages written by people (automated mail is skipped whole), never the mailbox owner and never
 * a machine address. Mail to more recipients than the cap (the Cc bomb, a mass mailing) is a
 * broadcast, not a relationship: only its sender is taken, none of its recipients. Names come from display names where splitting is safe; phone, title and
 * company from the sender's own signature. Where messages disagree, the newest one wins.
 */
export function extractPeople(
  messages: readonly ExtractableMessage[],
  options: { ownerAddresses: readonly string[]; defaultRegion?: string | null; fallbackSeenAt: string },
): PersonCandidate[] {
  const owners = new Set(options.ownerAddresses.map((address) => address.toLowerCase()));
  const people = new Map<string, PersonCandidate>();
  const note = (email: string, field: MailboxContactField, value: PersonValue) => {
    const person = people.get(email)!;
    const current = person.values[field];
    if (!current || current.seenAt <= value.seenAt) person.values[field] = value;
  };
  for (const message of messages) {
    if (message.automatedReason) continue;
    const seenAt = message.sentAt ?? options.fallbackSeenAt;
    const header = (entry: MailboxAddress, isSender: boolean) => {
      const normalized = normalizeEmail(entry.address);
      if (!normalized.ok || owners.has(normalized.value) || isMachineSender(normalized.value)) return;
      const email = normalized.value;
      const person = people.get(email);
      if (!person) people.set(email, { email, values: {}, firstSeenAt: seenAt, lastSeenAt: seenAt });
      else {
        if (seenAt < person.firstSeenAt) person.firstSeenAt = seenAt;
        if (seenAt > person.lastSeenAt) person.lastSeenAt = seenAt;
      }
      const from = { source: "header" as const, messageKey: message.key, seenAt };
      note(email, "email", { value: email, ...from });
      const name = splitDisplayName(entry.name, email);
      if (name) {
        note(email, "firstName", { value: name.firstName, ...from });
        if (name.lastName) note(email, "lastName", { value: name.lastName, ...from });
      }
      if (isSender && message.signature) {
        const facts = signatureFacts(message.signature, { defaultRegion: options.defaultRegion, senderName: entry.name });
        const signed = { source: "signature" as const, messageKey: message.key, seenAt };
        if (facts.phone) note(email, "phone", { value: facts.phone, ...signed });
        if (facts.title) note(email, "title", { value: facts.title, ...signed });
        if (facts.company) note(email, "company", { value: facts.company, ...signed });
      }
    };
    if (message.from) header(message.from, true);
    if (message.recipientsDropped > 0) continue;
    for (const entry of [...message.to, ...message.cc, ...message.replyTo]) header(entry, false);
  }
  return [...people.values()];
}

/** sent when the owner wrote it, received otherwise. */
export function directionOf(from: MailboxAddress | null, ownerAddresses: readonly string[]): "sent" | "received" {
  return from && ownerAddresses.some((owner) => owner.toLowerCase() === from.address) ? "sent" : "received";
}
