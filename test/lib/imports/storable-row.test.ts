import { describe, expect, it } from "vitest";
import { unstorableRowProblem, unstorableValue } from "@/lib/imports/storable-row";
import type { ValidContactRow } from "@/core/imports/validate-import-record";

const row = (values: Partial<ValidContactRow>): ValidContactRow => ({
  line: 7,
  email: "ada@example.com",
  phone: null,
  firstName: null,
  lastName: null,
  locale: null,
  timezone: null,
  birthday: null,
  birthdayMonth: null,
  birthdayDay: null,
  lists: [],
  attributes: {},
  ...values,
});

describe("the last check before staging", () => {
  it.each([
    ["a row of ordinary values", row({ firstName: "Ada 😀", attributes: { plan: "pro\u0007" } }), null],
    ["NUL in a field", row({ lastName: "Love\u0000lace" }), { field: "last_name" }],
    ["half a surrogate pair in a field", row({ firstName: "Ada\ud83d" }), { field: "first_name" }],
    ["NUL in an attribute value", row({ attributes: { plan: "pro", notes: "a\u0000" } }), { attribute: "notes" }],
    ["half a surrogate pair in an attribute key", row({ attributes: { "k\udc00": "v" } }), { attribute: "k\udc00" }],
    ["a field the row type gains later", { ...row({}), nickname: "x\ud800" } as ValidContactRow, { field: "nickname" }],
  ])("%s", (_case, value, expected) => {
    expect(unstorableValue(value)).toEqual(expected);
  });

  it("reports the row by the file's column name, without echoing the value", () => {
    const columnOf = (field: string) => `Column for ${field}`;
    expect(unstorableRowProblem(row({ firstName: "x\u0000" }), columnOf)).toEqual({
      line: 7,
      column: "Column for first_name",
      reason: "value holds characters that cannot be stored (NUL, or half of a surrogate pair); row not imported",
      value: null,
    });
    expect(unstorableRowProblem(row({ attributes: { notes: "\ud800" } }), columnOf)).toMatchObject({ column: "notes" });
    expect(unstorableRowProblem(row({}), columnOf)).toBeNull();
  });
});
