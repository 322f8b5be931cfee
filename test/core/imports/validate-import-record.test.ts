import { describe, expect, it } from "vitest";
import type { ImportCandidate, ImportRecord } from "@/core/imports/import-record";
import { validateImportRecord, type ValidateImportOptions } from "@/core/imports/validate-import-record";

const today = new Date("2025-06-15T12:00:00Z");
const options: ValidateImportOptions = { defaultRegion: "US", dateOrder: "month-first", columnOf: (field) => `col:${field}`, today };

function record(values: Partial<ImportRecord>): ImportRecord {
  return {
    recordIndex: 0,
    line: 7,
    fields: {},
    candidates: [],
    attributes: {},
    tags: [],
    errors: [],
    warnings: [],
    next: { recordIndex: 1, line: 8, byteOffset: null },
    ...values,
  };
}

const candidate = (field: "email" | "phone", value: string, key: string): ImportCandidate => ({ field, value, key, column: `${key} column` });

describe("validateImportRecord", () => {
  it("imports a row with an invalid birthday, time zone, locale, too-long name and phone beside a valid email, each left out with a warning", () => {
    const result = validateImportRecord(
      record({
        fields: { email: "Ann@Example.com", phone: "12", birthday: "1990-02-30", timezone: "Mars/Base", locale: "not a locale!", first_name: "x".repeat(201), last_name: "Lee" },
      }),
      options,
    );
    expect(result).toEqual({
      ok: true,
      row: expect.objectContaining({ email: "ann@example.com", phone: null, birthday: null, birthdayMonth: null, timezone: null, locale: null, firstName: null, lastName: "Lee" }),
      warnings: [
        { line: 7, column: "col:phone", reason: "warning: phone is not a valid number for US; imported without it", value: "12" },
        { line: 7, column: "col:birthday", reason: "warning: birthday is not a real date; imported without it", value: "1990-02-30" },
        { line: 7, column: "col:first_name", reason: "warning: first_name is longer than 200 characters; imported without it", value: `${"x".repeat(199)}…` },
        { line: 7, column: "col:locale", reason: "warning: locale is not a BCP 47 language tag such as en-US; imported without it", value: "not a locale!" },
        { line: 7, column: "col:timezone", reason: "warning: timezone is not an IANA time zone such as Europe/Paris; imported without it", value: "Mars/Base" },
      ],
    });
  });

  it("imports by phone when the email is invalid, with a warning for the email", () => {
    const result = validateImportRecord(record({ fields: { email: "not-an-email", phone: "(415) 555-0123" } }), options);
    expect(result).toMatchObject({ ok: true, row: { email: null, phone: "+14155550123" } });
    expect(result.warnings).toEqual([{ line: 7, column: "col:email", reason: "warning: email is not an email address; imported without it", value: "not-an-email" }]);
  });

  it("rejects a row without a usable identity, and reports everything wrong with it", () => {
    const result = validateImportRecord(record({ fields: { email: "nope", phone: "12", birthday: "yesterday" } }), options);
    expect(result).toEqual({
      ok: false,
      problems: [
        { line: 7, column: "col:email", reason: "email is not an email address", value: "nope" },
        { line: 7, column: "col:phone", reason: "phone is not a valid number for US", value: "12" },
        { line: 7, column: "col:birthday", reason: expect.stringContaining("birthday is not a date"), value: "yesterday" },
      ],
      warnings: [],
    });
    expect(validateImportRecord(record({ fields: { first_name: "Ann" } }), options)).toMatchObject({
      ok: false,
      problems: [{ column: null, reason: "row has neither an email nor a phone" }],
    });
  });

  it("keeps a birthday without a year as month and day, read in the workspace's date order", () => {
    expect(validateImportRecord(record({ fields: { email: "a@example.com", birthday: "--11-23" } }), options)).toMatchObject({
      ok: true,
      row: { birthday: null, birthdayMonth: 11, birthdayDay: 23 },
    });
    expect(validateImportRecord(record({ fields: { email: "a@example.com", birthday: "03/04" } }), { ...options, dateOrder: "day-first" })).toMatchObject({
      ok: true,
      row: { birthday: null, birthdayMonth: 4, birthdayDay: 3 },
    });
    expect(validateImportRecord(record({ fields: { email: "a@example.com", birthday: "11/23/1990" } }), options)).toMatchObject({
      ok: true,
      row: { birthday: "1990-11-23", birthdayMonth: 11, birthdayDay: 23 },
    });
  });

  it("takes the first valid of several emails and phones, and keeps the others as attributes", () => {
    const result = validateImportRecord(
      record({
        candidates: [
          candidate("email", "broken@", "email_work"),
          candidate("email", "Ann@Home.example", "email_home"),
          candidate("email", "ann@other.example", "email_3"),
          candidate("phone", "+1 415 555 0100", "phone_mobile"),
          candidate("phone", "415 555 0101", "phone_work"),
        ],
        attributes: { company: "Acme" },
      }),
      options,
    );
    expect(result).toMatchObject({
      ok: true,
      row: {
        email: "ann@home.example",
        phone: "+14155550100",
        attributes: { company: "Acme", email_work: "broken@", email_3: "ann@other.example", phone_work: "+14155550101" },
      },
    });
    expect(result.warnings).toEqual([
      { line: 7, column: "email_work column", reason: "warning: email is not an email address; imported without it", value: "broken@" },
    ]);
  });

  it("puts tags in attribute `tags`, or in `lists` when the import asks", () => {
    const tagged = record({ fields: { email: "a@example.com" }, tags: ["Friends", "VIP"] });
    expect(validateImportRecord(tagged, options)).toMatchObject({ ok: true, row: { attributes: { tags: ["Friends", "VIP"] }, lists: [] } });
    expect(validateImportRecord(record({ fields: { email: "a@example.com" }, tags: ["VIP"] }), { ...options, tags: "lists" })).toMatchObject({
      ok: true,
      row: { attributes: {}, lists: ["VIP"] },
    });
  });

  it("keeps the attributes that fit the limits and reports the rest", () => {
    const attributes = Object.fromEntries(Array.from({ length: 102 }, (_, i) => [`a${i}`, "v"]));
    const result = validateImportRecord(record({ fields: { email: "a@example.com" }, attributes }), options);
    expect(result.ok && Object.keys(result.row.attributes)).toHaveLength(100);
    expect(result.warnings.map((w) => w.column)).toEqual(["a100", "a101"]);
    const big = validateImportRecord(record({ fields: { email: "a@example.com" }, attributes: { a: "x".repeat(9000), b: "y".repeat(9000) } }), options);
    expect(big).toMatchObject({ ok: true, row: { attributes: { a: "x".repeat(9000) } } });
    expect(big.warnings).toMatchObject([{ column: "b", reason: expect.stringContaining("does not fit") }]);
  });

  it("still rejects a row the reader could not trust (columns shifted)", () => {
    const result = validateImportRecord(record({ fields: { email: "a@example.com" }, errors: [{ line: 7, column: null, reason: "row has 2 cells but the header has 3" }] }), options);
    expect(result).toMatchObject({ ok: false, problems: [{ reason: "row has 2 cells but the header has 3" }] });
  });
});
