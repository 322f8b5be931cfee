import { describe, expect, it } from "vitest";
import { regionDateOrder } from "@/core/contacts/region-date-order";
import { parseImportBirthday } from "@/core/imports/parse-import-birthday";

const today = new Date("2025-06-15T12:00:00Z");

describe("parseImportBirthday", () => {
  it.each([
    // Year-first and ISO forms are never ambiguous.
    ["1990-11-23", "month-first", "1990-11-23"],
    ["1990-1-5", "day-first", "1990-01-05"],
    ["1990/11/23", "day-first", "1990-11-23"],
    ["19901123", "day-first", "1990-11-23"],
    ["1990-11-23 00:00:00", "month-first", "1990-11-23"],
    ["1990-11-23T00:00:00Z", "month-first", "1990-11-23"],
    // Without a year: vCard and Google Contacts.
    ["--11-23", "day-first", "--11-23"],
    ["--1123", "day-first", "--11-23"],
    ["--02-29", "month-first", "--02-29"],
    // Mailchimp's MM/DD, read by the workspace's order when both numbers could be the month.
    ["11/23", "month-first", "--11-23"],
    ["03/04", "month-first", "--03-04"],
    ["03/04", "day-first", "--04-03"],
    ["23/11", "month-first", "--11-23"], // 23 cannot be a month, whatever the region says
    ["11/23/1990", "day-first", "1990-11-23"],
    ["03/04/1990", "month-first", "1990-03-04"],
    ["03/04/1990", "day-first", "1990-04-03"],
    ["17/05/1990", "month-first", "1990-05-17"],
    ["12-04-2022", "day-first", "2022-04-12"], // Brevo's DD-MM-YYYY
    // A dot means day first everywhere.
    ["23.11.1990", "month-first", "1990-11-23"],
    ["23.11.", "month-first", "--11-23"],
    ["1.2.1990", "month-first", "1990-02-01"],
    // Outlook's empty date.
    ["0/0/00", "month-first", null],
    ["00.00.0000", "day-first", null],
  ] as const)("%j (%s) → %j", (input, order, expected) => {
    expect(parseImportBirthday(input, order, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["11/23/90", "has a two-digit year; write the year in full (e.g. 1990)"],
    ["31/02", "is not a real date"],
    ["1990-02-30", "is not a real date"],
    ["2030-01-01", "is in the future"],
    ["1604-11-23", "is before 1900"],
    ["yesterday", "is not a date this importer reads: use YYYY-MM-DD, --MM-DD, MM/DD/YYYY or DD.MM.YYYY"],
    ["13/13", "is not a real date"],
  ])("%j is refused: %s", (input, reason) => {
    expect(parseImportBirthday(input, "month-first", today)).toEqual({ ok: false, reason });
  });

  it.each([
    ["US", "month-first"], ["us", "month-first"], ["PH", "month-first"], [null, "month-first"],
    ["GB", "day-first"], ["FR", "day-first"], ["DE", "day-first"], ["IN", "day-first"],
  ] as const)("region %s reads dates %s", (region, order) => {
    expect(regionDateOrder(region)).toBe(order);
  });
});
