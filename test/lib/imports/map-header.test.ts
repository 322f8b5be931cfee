import { describe, expect, it } from "vitest";
import { compactHeader, mapHeader, normalizeAttributeKey, type ColumnTarget } from "@/lib/imports/map-header";

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
    ["Company Name", "company_name"], ["Favourite Colour (2nd)", "favourite_colour_2nd"], ["2024 Score", "_2024_score"],
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

  it("keeps duplicates as suffixed attributes, with warnings", () => {
    const mapped = mapHeader(["Notes", "notes", "NOTES", "Email", "E-mail"]);
    expect(mapped.columns.map((c) => c.target)).toEqual([
      { kind: "attribute", key: "notes" },
      { kind: "attribute", key: "notes_2" },
      { kind: "attribute", key: "notes_3" },
      { kind: "field", field: "email" },
      { kind: "attribute", key: "e_mail" },
    ]);
    expect(mapped.warnings.map((w) => w.code)).toEqual(["duplicate_column", "duplicate_column", "duplicate_column"]);
  });

  it("helpers normalise as documented", () => {
    expect(compactHeader(" E-Mail  Address ")).toBe("emailaddress");
    expect(normalizeAttributeKey("!!!")).toBeNull();
    expect(normalizeAttributeKey("x".repeat(80))).toHaveLength(64);
  });
});
