import { CONTACT_FIELD_COLUMNS, type ContactFieldColumn } from "@/core/contacts/contact-fields";

/** Contact fields an import column can fill: every contact field, by column name. Everything else goes to `attributes`. */
export const CONTACT_FIELDS = CONTACT_FIELD_COLUMNS;
export type ContactField = ContactFieldColumn;

export function isContactField(value: string): value is ContactField {
  return (CONTACT_FIELDS as readonly string[]).includes(value);
}

/**
 * Header synonyms, written in compact form (lower-case, accents stripped, only a–z and 0–9):
 * "E-mail Address", "email_address" and "EMAIL ADDRESS" all compact to "emailaddress".
 */
export const CONTACT_FIELD_SYNONYMS: Record<ContactField, readonly string[]> = {
  email: [
    "email", "emailaddress", "emailaddr", "mail", "mailaddress", "primaryemail", "emailid", "email1",
    "workemail", "personalemail", "courriel", "adresseemail", "emailadresse", "correo", "correoelectronico",
  ],
  phone: [
    "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "mobileno", "cell", "cellphone",
    "cellnumber", "cellular", "tel", "telephone", "telephonenumber", "msisdn", "sms", "smsnumber", "contactnumber",
    "primaryphone", "phone1", "handy", "telefon", "telefonnummer", "telefono", "portable",
  ],
  first_name: ["firstname", "first", "fname", "givenname", "forename", "prenom", "vorname", "nombre"],
  last_name: ["lastname", "last", "lname", "surname", "familyname", "nom", "nachname", "apellido", "apellidos"],
  locale: ["locale", "language", "lang", "languagecode", "preferredlanguage", "sprache", "langue", "idioma"],
  timezone: ["timezone", "tz", "timezonename", "ianatimezone", "zeitzone", "fuseauhoraire"],
  birthday: [
    "birthday", "birthdate", "dateofbirth", "dob", "bday", "born", "geburtstag", "geburtsdatum",
    "datedenaissance", "fechadenacimiento", "anniversaire",
  ],
};

/**
 * Columns an import never writes: system-owned fields and anything about suppression or consent
 * (an import must never clear an unsubscribe), including the evidence of an opt-in elsewhere
 * (Mailchimp's OPTIN_IP and CONFIRM_IP are a person's IP address, and prove nothing here).
 * Matched on the compact header form.
 */
export const RESERVED_COMPACT_HEADERS = new Set([
  "id", "contactid", "workspaceid", "workspace", "status", "createdat", "updatedat", "deletedat",
  "unsubscribedat", "created", "updated",
]);
export const RESERVED_HEADER_PATTERN =
  /unsubscri|suppress|consent|optin|optout|confirmtime|confirmip|optedin|optedout|donotcontact|donotemail|donotcall|dnc|blocklist|blacklist|bounced|complain|gdpr|subscriptionstatus|subscribed|marketingstatus|emailstatus|smsstatus/;

/**
 * Columns of tags, labels, groups or categories (Google "Labels" / "Group Membership", Mailchimp
 * "TAGS", Outlook "Categories", HubSpot list memberships): their values become the contact's tags.
 */
export const TAG_COMPACT_HEADERS = new Set([
  "tags", "tag", "labels", "label", "groups", "group", "groupmembership", "groupmemberships", "categories", "category",
  "keywords", "lists", "listmemberships", "listmembership", "segments",
]);

/**
 * Common columns every tool names differently, kept under one attribute key so segments and
 * templates can rely on it: Outlook "Company", Google "Organization Name", Klaviyo "Organization"…
 */
export const WELL_KNOWN_ATTRIBUTE_KEYS: Record<string, string> = {
  company: "company", companyname: "company", organization: "company", organisation: "company", organizationname: "company",
  organization1name: "company", org: "company", jobtitle: "job_title", organizationtitle: "job_title", organization1title: "job_title",
};
