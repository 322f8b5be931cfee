import type { Contact } from "@/db/queries/contacts";
import { birthdayText } from "@/core/contacts/birthday-columns";

/** The contact fields a template can use. */
export type TemplateContact = Pick<
  Contact,
  "id" | "email" | "phone" | "firstName" | "lastName" | "locale" | "timezone" | "birthday" | "birthdayMonth" | "birthdayDay" | "attributes"
>;

/**
 * One variable a template can read: what it holds, an example value, and — for objects — the
 * properties it has. `anyProperty` objects (a contact's attributes) take any key; a key a
 * contact lacks is undefined, which strict templates guard with `| default:` or `{% if %}`.
 */
export type TemplateVariableSpec = {
  description: string;
  example: unknown;
  /** Can be null for some recipients (renders as an empty string). */
  nullable?: boolean;
  properties?: Readonly<Record<string, TemplateVariableSpec>>;
  anyProperty?: boolean;
};

/** Variable name → spec: everything one kind of message offers its template, and nothing else. */
export type TemplateVariableSchema = Readonly<Record<string, TemplateVariableSpec>>;

/**
 * `contact.*`: the variable name, how it is read from the contact, and its spec. The single
 * definition of what a template sees of a contact: rendering builds `contact` from it,
 * campaign preflight checks templates against it, and the docs list it.
 */
const CONTACT_FIELDS: readonly (readonly [string, (contact: TemplateContact) => unknown, TemplateVariableSpec])[] = [
  ["id", (c) => c.id, { description: "The contact's id (a UUID).", example: "0190b6d2-8a41-7c3e-9f5a-3c1d2e4f5a6b" }],
  ["email", (c) => c.email, { description: "Email address, lower-cased.", example: "ann@example.com", nullable: true }],
  ["phone", (c) => c.phone, { description: "Phone number in E.164 form.", example: "+14155550123", nullable: true }],
  ["first_name", (c) => c.firstName, { description: "First name.", example: "Ann", nullable: true }],
  ["last_name", (c) => c.lastName, { description: "Last name.", example: "Lee", nullable: true }],
  ["locale", (c) => c.locale, { description: "Locale, e.g. `en-US`.", example: "en-US", nullable: true }],
  ["timezone", (c) => c.timezone, { description: "IANA time zone, e.g. `Europe/Paris`.", example: "Europe/Paris", nullable: true }],
  [
    "birthday",
    birthdayText,
    { description: "Birthday: `YYYY-MM-DD`, or `--MM-DD` when the year is unknown.", example: "1990-11-23", nullable: true },
  ],
  ["birthday_month", (c) => c.birthdayMonth, { description: "Month of the birthday (1–12), whenever a birthday is known.", example: 11, nullable: true }],
  ["birthday_day", (c) => c.birthdayDay, { description: "Day of the month of the birthday, whenever a birthday is known.", example: 23, nullable: true }],
  [
    "attributes",
    (c) => c.attributes,
    {
      description: "Custom attributes: `contact.attributes.company`. A key a contact lacks is undefined: write `{{ contact.attributes.company | default: \"\" }}`.",
      example: { company: "Acme" },
      anyProperty: true,
    },
  ],
];

export const CONTACT_VARIABLE: TemplateVariableSpec = {
  description: "The recipient contact.",
  example: Object.fromEntries(CONTACT_FIELDS.map(([name, , spec]) => [name, spec.example])),
  properties: Object.fromEntries(CONTACT_FIELDS.map(([name, , spec]) => [name, spec])),
};

/** The `contact` object a template sees. */
export function contactVariable(contact: TemplateContact): Record<string, unknown> {
  return Object.fromEntries(CONTACT_FIELDS.map(([name, read]) => [name, read(contact)]));
}

/** What a template sees: the caller's data at the top level, and `contact` when there is one. */
export function templateVariables(data: Record<string, unknown>, contact?: TemplateContact): Record<string, unknown> {
  if (!contact) return { ...data };
  return { ...data, contact: contactVariable(contact) };
}

/** A value with the shape of `spec`, for rendering a template when there is no real data (preview, an empty audience). */
export function exampleVariables(schema: TemplateVariableSchema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, structuredClone(spec.example)]));
}
