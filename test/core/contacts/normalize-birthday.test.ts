import { describe, expect, it } from "vitest";
import { normalizeBirthday } from "@/core/contacts/normalize-birthday";

const today = new Date("2025-06-15T12:00:00Z");

describe("normalizeBirthday", () => {
  it.each([
    ["1990-05-01", "1990-05-01"],
    [" 1990-05-01 ", "1990-05-01"],
    ["2000-02-29", "2000-02-29"], // divisible by 400: leap
    ["2024-02-29", "2024-02-29"],
    ["1900-01-01", "1900-01-01"],
    ["2025-06-15", "2025-06-15"],
    // Without a year (vCard, Google Contacts): 29 February is somebody's birthday.
    ["--11-23", "--11-23"],
    ["--02-29", "--02-29"],
    [" --12-31 ", "--12-31"],
  ])("accepts %j", (input, expected) => {
    expect(normalizeBirthday(input, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["1990-02-30", "is not a real date"],
    ["1900-02-29", "is not a real date"], // divisible by 100 only: not leap
    ["2023-02-29", "is not a real date"],
    ["1990-13-01", "is not a real date"],
    ["1990-00-10", "is not a real date"],
    ["1990-04-31", "is not a real date"],
    ["1899-12-31", "is before 1900"],
    ["2025-06-16", "is in the future"],
    ["--02-30", "is not a real date"],
    ["--13-01", "is not a real date"],
    ["--04-31", "is not a real date"],
    ["--00-10", "is not a real date"],
    ["01/05/1990", "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown"],
    ["1990-5-1", "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown"],
    ["1990-05-01T00:00:00Z", "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown"],
    ["--1123", "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown"],
    ["", "must be a date as YYYY-MM-DD, or --MM-DD when the year is unknown"],
  ])("rejects %j: %s", (input, reason) => {
    expect(normalizeBirthday(input, today)).toEqual({ ok: false, reason });
  });
});
