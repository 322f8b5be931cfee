import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { workspaces } from "@/db/schema";
import { birthdayText } from "@/core/contacts/birthday-columns";
import type { ImportTagsTarget } from "@/core/imports/validate-import-record";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createImportFrom, errorRows, FIXTURES_DIR, importRow, runImport, setUpImportTestFile } from "./import-harness";

let database: Database;
await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");

/**
 * Exports from the tools people migrate from (test/fixtures/imports/exports/), imported without
 * a mapping, each into a fresh workspace in the given region. Every stored value is asserted.
 */
async function importExport(file: string, options: { region?: string; tagsAs?: ImportTagsTarget; chunkRows?: number } = {}) {
  const { workspace } = await createWorkspace(database.db, { name: `export ${file}` });
  if (options.region) await database.db.update(workspaces).set({ defaultRegion: options.region }).where(eq(workspaces.id, workspace.id));
  const { row } = await createImportFrom(database, workspace.id, { path: path.join(FIXTURES_DIR, "exports", file) }, { tagsAs: options.tagsAs, chunkRows: options.chunkRows });
  await runImport(importContacts, workspace.id, row.id);
  const result = await database.db.execute<Record<string, unknown>>(sql`
    select ic.line, c.email, c.phone, c.first_name, c.last_name, c.locale, c.timezone, c.birthday::text as birthday,
           c.birthday_month, c.birthday_day, c.attributes,
           (select coalesce(json_agg(l.name order by l.name), '[]') from list_members m join lists l on l.id = m.list_id where m.contact_id = c.id) as lists
    from import_contacts ic join contacts c on c.id = ic.contact_id
    where ic.import_id = ${row.id}::uuid order by ic.line`);
  const contacts = rowsOf<Record<string, unknown>>(result).map((c) => {
    const contact: Record<string, unknown> = {
      line: c.line,
      email: c.email,
      phone: c.phone,
      firstName: c.first_name,
      lastName: c.last_name,
      locale: c.locale,
      timezone: c.timezone,
      birthday: birthdayText({
        birthday: c.birthday as string | null,
        birthdayMonth: c.birthday_month === null ? null : Number(c.birthday_month),
        birthdayDay: c.birthday_day === null ? null : Number(c.birthday_day),
      }),
      attributes: typeof c.attributes === "string" ? JSON.parse(c.attributes) : c.attributes,
    };
    const lists = typeof c.lists === "string" ? JSON.parse(c.lists) : c.lists;
    if ((lists as string[]).length > 0) contact.lists = lists;
    return contact;
  });
  const report = (await errorRows(database, row.id)).map((error) => [error.line, error.column, error.reason, error.value]);
  return { row: await importRow(database, workspace.id, row.id), contacts, report };
}

const none = { locale: null, timezone: null };

describe("imports of contact exports, without a mapping", () => {
  it("Google Contacts CSV: all 5 contacts (was 0 of 5), labelled emails and phones, ' ::: ' values, labels as tags, year-less birthdays", async () => {
    const { row, contacts, report } = await importExport("google-contacts.csv");
    expect(row).toMatchObject({ status: "completed", total: 5, inserted: 5, failed: 0, skipped: 0 });
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 2, email: "ada@engines.example", phone: "+447911123456", firstName: "Ada", lastName: "Lovelace", ...none, birthday: "--12-10",
        attributes: {
          name_prefix: "Countess", company: "Analytical Engines", job_title: "Mathematician", notes: "Met at\nthe Royal Society",
          email_home: "ada.home@example.com", email_home_2: "ada@old.example", phone_work: "+442079460018",
          address_1_label: "Home", address_1_formatted: "12 Elm St\nLondon W1 1AA\nGB", address_1_street: "12 Elm St", address_1_city: "London",
          address_1_postal_code: "W1 1AA", address_1_country: "GB", website_profile: "https://ada.example", shoe_size: "38", tags: ["Friends", "VIP"],
        },
      },
      { line: 6, email: "bob@example.com", phone: "+14155550134", firstName: "Bob", lastName: "Builder", ...none, birthday: "--11-23", attributes: {} },
      {
        line: 7, email: "zoe@example.org", phone: "+14155550101", firstName: "Zoë", lastName: "Chen", ...none, birthday: "1990-05-17",
        attributes: { nickname: "Z", phone_home_2: "+14155550102", phone_work_fax: "415-555-0199", tags: ["Work"] },
      },
      { line: 8, email: null, phone: "+14155550177", firstName: "Dan", lastName: "Dare", ...none, birthday: "--02-29", attributes: { tags: ["starred", "Family"] } },
      { line: 9, email: "eve@home.example", phone: null, firstName: "Eve", lastName: "Adams", ...none, birthday: null, attributes: { company: "Initech", email_work: "eve@work.example" } },
    ]);
  });

  it("Outlook CSV (Windows-1252): the primary or mobile phone, E-mail 2 kept, M/D/YYYY birthdays, 0/0/00 as no birthday, categories", async () => {
    const { row, contacts, report } = await importExport("outlook.csv");
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0 });
    expect(report).toEqual([]);
    const outlookDefaults = { anniversary: "0/0/00", gender: "Unspecified", priority: "Normal", private: "False", sensitivity: "Normal" };
    expect(contacts).toEqual([
      {
        line: 2, email: "john@contoso.example", phone: "+14255550199", firstName: "John", lastName: "Smith", ...none, birthday: "1975-05-17",
        attributes: {
          ...outlookDefaults, title: "Mr.", company: "Contoso, Ltd.", job_title: "Buyer", business_city: "Redmond", business_state: "WA",
          phone_business: "+14255550100", email_2: "jsmith@home.example", e_mail_display_name: "John Smith (john@contoso.example)",
          e_mail_2_display_name: "John (home)", initials: "J.S.", notes: "Prefers calls\r\nafter 10am", tags: ["Customers", "VIP"],
        },
      },
      {
        line: 4, email: "renee@example.fr", phone: "+33142685300", firstName: "Renée", lastName: "Dubois", ...none, birthday: null,
        attributes: { ...outlookDefaults, title: "Ms.", company: "Café Lumière", phone_mobile: "+33612345678", e_mail_display_name: "Renée Dubois (renee@example.fr)", initials: "R.D." },
      },
      {
        line: 5, email: null, phone: "+14155550142", firstName: "Wei", lastName: "Li", ...none, birthday: "1988-02-29",
        attributes: { ...outlookDefaults, business_fax: "415-555-0143", initials: "W.L.", tags: ["Suppliers"] },
      },
    ]);
  });

  it("Mailchimp CSV: all 3 contacts (was 1 of 3), MM/DD birthdays, TAGS, time zones; opt-in and confirmation columns ignored", async () => {
    const { row, contacts, report } = await importExport("mailchimp.csv");
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0 });
    expect(report).toEqual([]);
    expect(row.warnings.filter((warning) => warning.code === "reserved_column").map((warning) => warning.column)).toEqual(["OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP"]);
    const mailchimp = { member_rating: "2", last_changed: "2023-01-02 03:04:05" };
    expect(contacts).toEqual([
      {
        line: 2, email: "ann@example.com", phone: "+12175550123", firstName: "Ann", lastName: "Lee", locale: null, timezone: "America/Chicago", birthday: "--11-23",
        attributes: {
          ...mailchimp, address: "123 Main St  Springfield IL 62701 US", latitude: "39.7800000", longitude: "-89.6500000",
          gmtoff: "-6", dstoff: "-5", cc: "US", region: "IL", leid: "123456789", euid: "abc123def4", tags: ["Customers", "VIP"],
        },
      },
      {
        line: 3, email: "bob@example.com", phone: null, firstName: "Bob", lastName: "Ng", ...none, birthday: null,
        attributes: { ...mailchimp, leid: "123456790", euid: "abc123def5" },
      },
      {
        line: 4, email: "cara@example.com", phone: "+34612345678", firstName: "Cara", lastName: "Díaz", locale: null, timezone: "Europe/Madrid", birthday: "--02-29",
        attributes: {
          ...mailchimp, company: "Olé SL", cc: "ES", leid: "123456791", euid: "abc123def6",
          notes: 'Met at "Expo", booth 4', tags: ["Newsletter"],
        },
      },
    ]);
  });

  it("HubSpot CSV: the mobile number first, the other phone kept, list memberships as lists when asked", async () => {
    const { row, contacts, report } = await importExport("hubspot.csv", { tagsAs: "lists" });
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0, tagsAs: "lists" });
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 2, email: "maria@acme.example", phone: "+16175550199", firstName: "Maria", lastName: "Garcia", ...none, birthday: null,
        attributes: {
          record_id: "51", company: "Acme Corp", job_title: "VP Sales", lifecycle_stage: "Customer", lead_status: "Connected", contact_owner: "owner@sendline.example",
          create_date: "2024-03-14 09:12", last_activity_date: "2024-05-02 16:40", city: "Boston", state_region: "MA", country_region: "United States",
          marketing_contact_status: "Marketing contact", phone_1: "+16175550120",
        },
        lists: ["Newsletter", "Webinar 2024"],
      },
      {
        line: 3, email: "tom@example.com", phone: "+16175550111", firstName: "Tom", lastName: "Baker", ...none, birthday: null,
        attributes: { record_id: "52", lifecycle_stage: "Lead", create_date: "2024-04-01 11:00", marketing_contact_status: "Non-marketing contact" },
      },
      {
        line: 4, email: null, phone: "+819012345678", firstName: "Yuki", lastName: "Tanaka", ...none, birthday: null,
        attributes: { record_id: "53", lifecycle_stage: "Subscriber", create_date: "2024-04-02 08:30", country_region: "Japan" },
        lists: ["Newsletter"],
      },
    ]);
  });

  it("Brevo CSV of a French account: semicolons, PRENOM/NOM, SMS before WhatsApp and landline, day-first dates by the workspace's region", async () => {
    const { row, contacts, report } = await importExport("brevo.csv", { region: "FR" });
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0 });
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 2, email: "claire@example.fr", phone: "+33612345678", firstName: "Claire", lastName: "Martin", locale: "fr", timezone: null, birthday: "1985-11-23",
        attributes: { ext_id: "CRM-001", added_time: "12-04-2022 09:30", modified_time: "13-04-2022 10:00", phone_whatsapp: "+33612345678", phone_landline: "+33142685300" },
      },
      {
        line: 3, email: "luc@example.fr", phone: "+33611223344", firstName: "Luc", lastName: "Bernard", locale: "fr-FR", timezone: null, birthday: "1990-04-03",
        attributes: { added_time: "14-04-2022 08:00" },
      },
      { line: 4, email: null, phone: "+33698765432", firstName: "Inès", lastName: "Petit", ...none, birthday: "--02-01", attributes: { added_time: "15-04-2022 18:45" } },
    ]);
  });

  it("Klaviyo CSV: locales and time zones; an unknown time zone is left out with a warning, the contact imported", async () => {
    const { row, contacts, report } = await importExport("klaviyo.csv");
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 3, failed: 0 });
    expect(report).toEqual([[4, "Timezone", "warning: timezone is not an IANA time zone such as Europe/Paris; imported without it", "Eastern Time"]]);
    expect(contacts).toEqual([
      {
        line: 2, email: "sam@shop.example", phone: "+14155550163", firstName: "Sam", lastName: "Rivera", locale: "en-US", timezone: "America/Los_Angeles", birthday: null,
        attributes: {
          company: "Shop Co", title: "Owner", address: "1 Market St", city: "San Francisco", state_region: "CA", country: "United States", zip_code: "94105",
          source: "Shopify", ip_address: "198.51.100.4", klaviyo_id: "01HABCDEF0", date_added: "2023-09-01 12:00:00",
        },
      },
      {
        line: 3, email: "jo@example.com", phone: null, firstName: "Jo", lastName: "Park", locale: "ko-KR", timezone: "Asia/Seoul", birthday: null,
        attributes: { klaviyo_id: "01HABCDEF1", date_added: "2023-09-02 12:00:00" },
      },
      {
        line: 4, email: "lee@example.com", phone: "+442079460958", firstName: "Lee", lastName: "Jones", locale: "en-GB", timezone: null, birthday: null,
        attributes: { klaviyo_id: "01HABCDEF2", date_added: "2023-09-03 12:00:00" },
      },
    ]);
  });

  it("vCard 3.0 from Android: quoted-printable with charsets and soft line breaks, folded lines, a 2.1 card with bare parameters", async () => {
    const { row, contacts, report } = await importExport("android-3.0.vcf");
    expect(row).toMatchObject({ status: "completed", kind: "vcard", total: 3, inserted: 3, failed: 0 });
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 1, email: "juergen@example.de", phone: "+4915123456789", firstName: "Jürgen", lastName: "Müller", ...none, birthday: "--11-23",
        attributes: {
          company: "Firma GmbH", department: "Vertrieb", x_skype: "juergen.mueller", notes: "Kennt uns von der Messe.\r\nMöchte den Katalog und Preise.",
          phone_home: "+49301234567", email_work: "j.mueller@firma.example", tags: ["Kunden", "Messe 2024"],
        },
      },
      {
        line: 16, email: "siobhan@example.ie", phone: null, firstName: "Siobhan", lastName: "O'Neil", ...none, birthday: "1988-07-04",
        attributes: { notes: "A long note that an exporter folded at seventy-five octets, as RFC 6350 says it may; the importer joins the pieces again." },
      },
      {
        line: 25, email: null, phone: "+34612345678", firstName: "María", lastName: "García", ...none, birthday: "1985-03-12",
        attributes: { phone_work_fax: "+34 912 345 678", notes: "Primera línea que sigue en la siguiente" },
      },
    ]);
  });

  it("vCard from Google Contacts: typed emails and phones, a custom label, escaped URL, categories", async () => {
    const { row, contacts, report } = await importExport("google-contacts.vcf");
    expect(row).toMatchObject({ status: "completed", total: 2, inserted: 2, failed: 0 });
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 1, email: "priya@example.com", phone: "+16465550147", firstName: "Priya", lastName: "Raman", ...none, birthday: "--07-04",
        attributes: {
          company: "Raman Design", job_title: "Founder", website_portfolio: "https://priya.example", email_work: "priya.raman@work.example",
          phone_studio: "+16465550148", tags: ["Clients"],
        },
      },
      { line: 17, email: null, phone: "+12125550190", firstName: "Omar", lastName: "Haddad", ...none, birthday: null, attributes: { address_home: "5 Park Ave, New York, NY, 10016, US" } },
    ]);
  });

  it("vCard from Apple Contacts: preferred values, Apple's labels, 1604 as 'no year', the photo and the group card left out", async () => {
    // One card per chunk: each chunk resumes at the byte offset the previous one stopped at.
    const { row, contacts, report } = await importExport("apple-contacts.vcf", { chunkRows: 1 });
    expect(row).toMatchObject({ status: "completed", total: 2, inserted: 2, failed: 0 });
    expect(row.warnings).toMatchObject([{ code: "vcard_groups" }]);
    expect(report).toEqual([]);
    expect(contacts).toEqual([
      {
        line: 1, email: "johnny@orchard.example", phone: "+14085550155", firstName: "Johnny", lastName: "Appleseed", ...none, birthday: "--11-23",
        attributes: {
          company: "Apple Orchards", job_title: "Gardener", anniversary: "2010-06-12", phone_iphone_mobile: "+14085550156", email_home: "johnny@home.example",
          phone_main: "+14085550157",
        },
      },
      { line: 39, email: null, phone: "+447911123457", firstName: "Jane", lastName: "Doe", ...none, birthday: "--03-08", attributes: { notes: "Neighbour" } },
    ]);
  });

  it("vCard 4.0: PREF, tel: URIs, --MMDD birthdays, LANG and TZ; a malformed card is one failed row, not a failed file", async () => {
    const { row, contacts, report } = await importExport("vcard-4.0.vcf", { chunkRows: 2 });
    expect(row).toMatchObject({ status: "completed", total: 3, inserted: 2, failed: 1 });
    expect(report).toEqual([
      [18, null, 'the card cannot be read: invalid line (no token ";" or ":") "this line has no colon"', null],
      [24, "TZ", "warning: timezone is not an IANA time zone such as Europe/Paris; imported without it", "-05:00"],
    ]);
    expect(contacts).toEqual([
      {
        line: 1, email: "mei@lin.example", phone: "+14155550161", firstName: "Mei", lastName: "Lin", locale: "zh-Hant-TW", timezone: "Asia/Taipei", birthday: "--11-23",
        attributes: {
          anniversary: "2015-06-20", gender: "F", x_favourite_tea: "Oolong", email_home: "mei.home@example.com", phone_work: "+14155550162", tags: ["Team", "Beta testers"],
        },
      },
      { line: 24, email: "noah@example.com", phone: null, firstName: "Noah", lastName: "Smith", ...none, birthday: "1992-01-31", attributes: {} },
    ]);
  });
});
