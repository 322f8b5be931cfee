import type { Contact } from "@/db/queries/contacts";
import { birthdayText } from "@/lib/contacts/birthday-columns";

/** The contact fields a template can use. */
export type TemplateContact = Pick<
  Contact,
  "id" | "email" | "phone" | "firstName" | "lastName" | "locale" | "timezone" | "birthday" | "birthdayMonth" | "birthdayDay" | "attributes"
>;

/**
 * What a template sees: the caller's data at the top level, and `contact` when there is one.
 * `contact.birthday` is "1990-11-23", or "--11-23" when the year is unknown; `birthday_month`
 * and `birthday_day` are numbers whenever a birthday is known.
 */
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
      birthday: birthdayText(contact),
      birthday_month: contact.birthdayMonth,
      birthday_day: contact.birthdayDay,
      attributes: contact.attributes,
    },
  };
}
