/**
 * How a birthday is stored: `birthday` holds the full date when the year is known; month and day
 * are filled for every known birthday, with or without a year, so "whose birthday is on 23
 * November" is one index probe whatever the contact's year (a check constraint keeps the three
 * in agreement).
 */
export interface BirthdayColumns {
  birthday: string | null;
  birthdayMonth: number | null;
  birthdayDay: number | null;
}

const NO_BIRTHDAY: BirthdayColumns = { birthday: null, birthdayMonth: null, birthdayDay: null };

/** Columns for a birthday as normalizeBirthday returns it ("1990-11-23" or "--11-23"); null clears all three. */
export function birthdayColumns(value: string | null): BirthdayColumns {
  if (value === null) return NO_BIRTHDAY;
  const yearless = value.startsWith("--");
  const month = Number(value.slice(yearless ? 2 : 5, yearless ? 4 : 7));
  const day = Number(value.slice(yearless ? 5 : 8, yearless ? 7 : 10));
  return { birthday: yearless ? null : value, birthdayMonth: month, birthdayDay: day };
}

/** The birthday as the API and templates show it: "1990-11-23", "--11-23" without a year, or null. */
export function birthdayText(row: BirthdayColumns): string | null {
  if (row.birthday) return row.birthday;
  if (row.birthdayMonth === null || row.birthdayDay === null) return null;
  return `--${String(row.birthdayMonth).padStart(2, "0")}-${String(row.birthdayDay).padStart(2, "0")}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The (month, day) birthdays celebrated on a calendar day: itself, and on 28 February of a
 * year without a 29th, the people born on 29 February too (they would otherwise have no
 * birthday three years in four).
 */
export function birthdaysCelebratedOn(date: { year: number; month: number; day: number }): { month: number; day: number }[] {
  const days = [{ month: date.month, day: date.day }];
  if (date.month === 2 && date.day === 28 && !isLeapYear(date.year)) days.push({ month: 2, day: 29 });
  return days;
}
