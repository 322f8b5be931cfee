import { describe, expect, it } from "vitest";
import { compactHeader, mapHeader, normalizeAttributeKey, type ColumnTarget } from "@/core/imports/map-header";

const target = (headers: string[], override?: Parameters<typeof mapHeader>[1]) => mapHeader(headers, override).columns.map((c) => c.target);

describe("mapHeader", () => {
  it.each([
    ["E-mail Address", "email"], ["EMAIL", "email"], ["email_address", "email"], ["Courriel", "email"],
    ["Mobile", "phone"], ["Phone Number", "phone"], ["Cell phone", "phone"], ["Téléphone", "phone"],
    ["First Name", "first_name"], ["Given name", "first_name"], ["first-name", "first_name"], ["Prénom", "first_name"],
    ["Surname", "last_name"], ["Last_Name", "last_name"], ["Family name", "last_name"],
    ["Date of birth", "birthday"], ["DOB", "birthday"], ["Birth date", "birthday"],
    ["Time Zone", "timezone"], ["TZ", "timezone"], ["Language", "locale"], ["Locale", "locale"],
  ])("%s → %s", (header, field) => {
    expect(target([header])).toEqual([{ kind: "field", field }]);
  });

  it.each([
    ["Company Name", "company"], ["Organization Name", "company"], ["Job Title", "job_title"], ["Favourite Colour (2nd)", "favourite_colour_2nd"], ["2024 Score", "_2024_score"],
    ["Ünïcödé", "unicode"], ["名前", "column_1"],
  ])("unknown %s → attribute %s", (header, key) => {
    expect(target([header])).toEqual([{ kind: "attribute", key }]);
  });

  it.each(["id", "Workspace ID", "status", "Created At", "updated_at", "Unsubscribed At", "Suppressed", "Consent", "GDPR consent", "Opt-in", "Email opt out", "Do Not Email"])(
    "reserved %s is ignored with a warning",
    (header) => {
      const mapped = mapHeader([header]);
      expect(mapped.columns[0]!.target).toEqual({ kind: "ignore", reason: "reserved" });
      expect(mapped.warnings).toMatchObject([{ code: "reserved_column", column: header }]);
    },
  );

  it("an override wins over synonyms, reserved names and order", () => {
    const mapped = mapHeader(["Email", "Work mail", "Status", "Notes"], {
      "work mail": "email",
      Email: "attribute:personal_email",
      Status: "attribute:crm_stage",
      notes: "ignore",
    });
    expect(mapped.columns.map((c) => c.target)).toEqual<ColumnTarget[]>([
      { kind: "attribute", key: "personal_email" },
      { kind: "field", field: "email" },
      { kind: "attribute", key: "crm_stage" },
      { kind: "ignore", reason: "override" },
    ]);
    expect(mapped.warnings).toEqual([]);
  });

  it("reports an override for a missing column and rejects bad targets", () => {
    expect(mapHeader(["email"], { Phone: "phone" }).warnings).toMatchObject([{ code: "unused_mapping", column: "Phone" }]);
    expect(() => mapHeader(["a"], { a: "status" as never })).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
    expect(() => mapHeader(["a"], { a: "attribute:Bad Key" })).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
    expect(() => mapHeader(["a"], { a: "attribute:unsubscribed" })).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
    expect(() => mapHeader(["a", "b"], { a: "email", b: "email" })).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
  });

  it("keeps duplicates as suffixed attributes, with warnings; several email columns are all read", () => {
    const mapped = mapHeader(["Notes", "notes", "NOTES", "Email", "E-mail"]);
    expect(mapped.columns.map((c) => c.target)).toEqual([
      { kind: "attribute", key: "notes" },
      { kind: "attribute", key: "notes_2" },
      { kind: "attribute", key: "notes_3" },
      { kind: "candidate", field: "email", key: "email_1", rank: 2, label: null, split: false },
      { kind: "candidate", field: "email", key: "email_2", rank: 2, label: null, split: false },
    ]);
    expect(mapped.warnings.map((w) => w.code)).toEqual(["multi_value_columns", "duplicate_column", "duplicate_column"]);
  });

  const candidates = (headers: string[]) =>
    Object.fromEntries(
      mapHeader(headers).columns.map((c) => [
        c.header,
        c.target.kind === "candidate" ? `${c.target.field} ${c.target.key} rank ${c.target.rank}${c.target.label === null ? "" : ` label ${c.target.label}`}${c.target.split ? " split" : ""}`
          : c.target.kind === "label" ? `label of ${c.target.of}`
          : c.target.kind === "attribute" ? `attribute ${c.target.key}`
          : c.target.kind === "field" ? c.target.field
          : c.target.kind === "labelled" ? `labelled ${c.target.prefix}* or ${c.target.key}, label ${c.target.label}`
          : c.target.kind,
      ]),
    );

  it("recognises numbered and qualified email and phone columns without a synonym list (Outlook)", () => {
    expect(
      candidates([
        "E-mail Address", "E-mail Type", "E-mail Display Name", "E-mail 2 Address", "E-mail 2 Type",
        "Assistant's Phone", "Business Fax", "Business Phone", "Home Phone", "Home Phone 2", "Mobile Phone", "Pager", "Primary Phone", "Categories",
      ]),
    ).toEqual({
      "E-mail Address": "email email_1 rank 2 label 1",
      "E-mail Type": "label of 0",
      "E-mail Display Name": "attribute e_mail_display_name",
      "E-mail 2 Address": "email email_2 rank 2 label 4",
      "E-mail 2 Type": "label of 3",
      "Assistant's Phone": "phone phone_assistant_s rank 3",
      "Business Fax": "attribute business_fax",
      "Business Phone": "phone phone_business rank 2",
      "Home Phone": "phone phone_home rank 2",
      "Home Phone 2": "phone phone_home_2 rank 2",
      "Mobile Phone": "phone phone_mobile rank 1",
      Pager: "attribute pager",
      "Primary Phone": "phone phone_primary rank 0",
      Categories: "tags",
    });
  });

  it("pairs Google's numbered values with their labels, and names custom fields by their label", () => {
    expect(
      candidates([
        "First Name", "Labels", "E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
        "Address 1 - Label", "Address 1 - Formatted", "Website 1 - Label", "Website 1 - Value", "Custom Field 1 - Label", "Custom Field 1 - Value",
      ]),
    ).toEqual({
      "First Name": "first_name",
      Labels: "tags",
      "E-mail 1 - Label": "label of 3",
      "E-mail 1 - Value": "email email_1 rank 2 label 2 split",
      "Phone 1 - Label": "label of 5",
      "Phone 1 - Value": "phone phone_1 rank 2 label 4 split",
      "Phone 2 - Label": "label of 7",
      "Phone 2 - Value": "phone phone_2 rank 2 label 6 split",
      "Address 1 - Label": "attribute address_1_label",
      "Address 1 - Formatted": "attribute address_1_formatted",
      "Website 1 - Label": "label of 11",
      "Website 1 - Value": "labelled website_* or website_1, label 10",
      "Custom Field 1 - Label": "label of 13",
      "Custom Field 1 - Value": "labelled * or custom_field_1, label 12",
    });
  });

  it("says which attributes the other emails and phones become: the row's label names them where there is one", () => {
    const labelled = mapHeader(["E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value"]);
    expect(labelled.warnings.find((w) => w.code === "multi_value_columns")?.message).toContain(
      "the others are kept as attributes (named after the row's label where it has one (phone_home, phone_work…), else phone_1, phone_2)",
    );
    const plain = mapHeader(["Email", "E-mail"]);
    expect(plain.warnings.find((w) => w.code === "multi_value_columns")?.message).toContain("the others are kept as attributes (email_1, email_2)");
  });

  it.each([
    // HubSpot: the mobile number first, the other kept.
    [["Email", "Phone Number", "Mobile Phone Number"], { Email: "email", "Phone Number": "phone phone_1 rank 2", "Mobile Phone Number": "phone phone_mobile rank 1" }],
    // Brevo: SMS and WhatsApp take texts, a landline does not.
    [["EMAIL", "SMS", "WHATSAPP", "LANDLINE_NUMBER"], { EMAIL: "email", SMS: "phone phone_sms rank 1", WHATSAPP: "phone phone_whatsapp rank 1", LANDLINE_NUMBER: "phone phone_landline rank 2" }],
    // One column of a kind is the plain field, whatever its qualifier.
    [["Work Email", "Mobile Phone"], { "Work Email": "email", "Mobile Phone": "phone" }],
    // Words that describe rather than hold a number or address.
    [["Email", "Email Domain", "Phone", "Phone Extension"], { Email: "email", "Email Domain": "attribute email_domain", Phone: "phone", "Phone Extension": "attribute phone_extension" }],
    [["Phone", "Mobile App Version", "Cell"], { Phone: "phone phone_1 rank 2", "Mobile App Version": "attribute mobile_app_version", Cell: "phone phone_cell rank 1" }],
  ])("%j", (headers, expected) => {
    expect(candidates(headers)).toEqual(expected);
  });

  it("a column mapped to a field by the user turns the other columns of that field into attributes", () => {
    expect(mapHeader(["E-mail Address", "E-mail 2 Address"], { "E-mail 2 Address": "email" }).columns.map((c) => c.target)).toEqual([
      { kind: "attribute", key: "email_1" },
      { kind: "field", field: "email" },
    ]);
  });

  it("helpers normalise as documented", () => {
    expect(compactHeader(" E-Mail  Address ")).toBe("emailaddress");
    expect(normalizeAttributeKey("!!!")).toBeNull();
    expect(normalizeAttributeKey("x".repeat(80))).toHaveLength(64);
  });
});
