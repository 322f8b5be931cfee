import { describe, expect, it } from "vitest";
import { birthdayColumns, birthdaysCelebratedOn, birthdayText } from "@/core/contacts/birthday-columns";

describe("birthday columns", () => {
  it.each([
    ["1990-11-23", { birthday: "1990-11-23", birthdayMonth: 11, birthdayDay: 23 }],
    ["--11-23", { birthday: null, birthdayMonth: 11, birthdayDay: 23 }],
    ["--02-29", { birthday: null, birthdayMonth: 2, birthdayDay: 29 }],
    [null, { birthday: null, birthdayMonth: null, birthdayDay: null }],
  ])("%j is stored as %j and shown as it was written", (value, columns) => {
    expect(birthdayColumns(value)).toEqual(columns);
    expect(birthdayText(columns)).toBe(value);
  });

  it.each([
    [{ year: 2025, month: 2, day: 28 }, [{ month: 2, day: 28 }, { month: 2, day: 29 }]],
    [{ year: 2024, month: 2, day: 28 }, [{ month: 2, day: 28 }]],
    [{ year: 2024, month: 2, day: 29 }, [{ month: 2, day: 29 }]],
    [{ year: 2100, month: 2, day: 28 }, [{ month: 2, day: 28 }, { month: 2, day: 29 }]],
    [{ year: 2000, month: 2, day: 28 }, [{ month: 2, day: 28 }]],
    [{ year: 2025, month: 11, day: 23 }, [{ month: 11, day: 23 }]],
  ])("birthdays celebrated on %j: %j", (date, days) => {
    expect(birthdaysCelebratedOn(date)).toEqual(days);
  });
});
