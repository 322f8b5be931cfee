import type { Contact } from "@/db/queries/contacts";

/** The contact fields a template can use. */
export type TemplateContact = Pick<Contact, "id" | "email" | "phone" | "firstName" | "lastName" | "locale" | "timezone" | "birthday" | "attributes">;

/** What a template sees: the caller's data at the top level, and `contact` when there is one. */
export function templateVariables(data: Record<string, unknown>, contact?: TemplateContact): Record<string, unknown> {
  if (!contact) return { ...data };
  return {
    ...data,
    contact: {
      id: contact.id,
      email: contact.email,
      phone: contact.phone,
      first_name: contact.firstName,
      last_name: contact.lastName,
      locale: contact.locale,
      timezone: contact.timezone,
      birthday: contact.birthday,
      attributes: contact.attributes,
    },
  };
}
