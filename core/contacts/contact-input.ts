import { z } from "zod";
import { boundedJson } from "@/core/validation/bounded-json";
import { ATTRIBUTE_KEY_PATTERN, ATTRIBUTE_KEY_RULE } from "./attribute-key";
import type { Normalized } from "./normalized";
import { normalizeBirthday } from "./normalize-birthday";
import { normalizeEmail } from "./normalize-email";
import { normalizeLocale } from "./normalize-locale";
import { normalizePhone } from "./normalize-phone";
import { normalizeTimezone } from "./normalize-timezone";

export const NAME_MAX_LENGTH = 200;
export const ATTRIBUTES_MAX_KEYS = 100;
export const ATTRIBUTES_MAX_BYTES = 16_384;
/** Nesting inside one attribute value (the attributes object itself is one level more). */
export const ATTRIBUTES_MAX_DEPTH = 8;

/**
 * Fields Sendline owns. Named here (rather than left to the strict object's "unrecognized
 * key") so a client that tries to set one gets an error on that very field.
 */
export const PROTECTED_CONTACT_FIELDS = [
  "id",
  "workspaceId",
  "status",
  "createdAt",
  "updatedAt",
  "unsubscribedAt",
  "subscribed",
  "suppressed",
  "suppressedAt",
  "consent",
  "consentedAt",
] as const;

export type AttributeValue = z.infer<ReturnType<typeof z.json>>;

/** Attribute changes: keys to set, and keys to remove (sent as null). Never a wholesale replace. */
export type AttributeChanges = { set: Record<string, AttributeValue>; remove: string[] };

/** A contact's writable fields after normalisation; `null` clears a field, absent leaves it. */
export type ContactChanges = {
  email?: string;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  timezone?: string | null;
  birthday?: string | null;
  attributes?: AttributeChanges;
};

function normalized(normalize: (value: string) => Normalized<string>) {
  return z.string().transform((value, ctx) => {
    const result = normalize(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: "custom", message: result.reason, input: value });
    return z.NEVER;
  });
}

const personName = z
  .string()
  .max(NAME_MAX_LENGTH)
  .transform((value) => value.trim() || null);

const attributes = boundedJson({ maxDepth: ATTRIBUTES_MAX_DEPTH + 1, maxBytes: ATTRIBUTES_MAX_BYTES })
  .pipe(z.record(z.string().regex(ATTRIBUTE_KEY_PATTERN, ATTRIBUTE_KEY_RULE), z.json()))
  .refine((value) => Object.keys(value).length <= ATTRIBUTES_MAX_KEYS, `may hold at most ${ATTRIBUTES_MAX_KEYS} keys`)
  .transform((value): AttributeChanges => {
    const changes: AttributeChanges = { set: {}, remove: [] };
    for (const [key, item] of Object.entries(value)) {
      if (item === null) changes.remove.push(key);
      else changes.set[key] = item;
    }
    return changes;
  })
  .meta({
    type: "object",
    description: `Custom attributes to set; a key sent as null is removed, keys not sent are kept. At most ${ATTRIBUTES_MAX_KEYS} keys, ${ATTRIBUTES_MAX_BYTES / 1024} KiB as JSON, ${ATTRIBUTES_MAX_DEPTH} levels inside a value; a key ${ATTRIBUTE_KEY_RULE}`,
  });

const forbidden = z
  .never({ error: "is managed by Sendline and cannot be set through the API" })
  .optional()
  .meta({ description: "Managed by Sendline: refused by name" });

function contactFields(defaultRegion: string | null) {
  return {
    phone: normalized((value) => normalizePhone(value, defaultRegion)).nullable().optional(),
    firstName: personName.nullable().optional(),
    lastName: personName.nullable().optional(),
    locale: normalized(normalizeLocale).nullable().optional(),
    timezone: normalized(normalizeTimezone).nullable().optional(),
    birthday: normalized((value) => normalizeBirthday(value)).nullable().optional(),
    attributes: attributes.optional(),
    ...Object.fromEntries(PROTECTED_CONTACT_FIELDS.map((field) => [field, forbidden])),
  };
}

function withoutProtected<T extends object>(value: T): ContactChanges {
  const changes: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined && !(PROTECTED_CONTACT_FIELDS as readonly string[]).includes(key)) changes[key] = item;
  }
  return changes as ContactChanges;
}

/** POST /contacts: upsert by email, so email is required. Phones are read in the workspace's region. */
export function contactUpsertInput(options: { defaultRegion: string | null }) {
  return z
    .strictObject({ email: normalized(normalizeEmail), ...contactFields(options.defaultRegion) })
    .transform((value) => withoutProtected(value) as ContactChanges & { email: string });
}

/** PATCH /contacts/:id: any writable field, at least one. */
export function contactPatchInput(options: { defaultRegion: string | null }) {
  return z
    .strictObject({ email: normalized(normalizeEmail).optional(), ...contactFields(options.defaultRegion) })
    .transform(withoutProtected)
    .refine((changes) => Object.keys(changes).length > 0, "names no field to change");
}
