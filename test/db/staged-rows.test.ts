import { describe, expect, it } from "vitest";
import { type StageColumn, stagedRowsCsv, stagedRowsJson } from "@/db/staged-rows";

const COLUMNS: StageColumn[] = [
  { name: "ord", type: "integer" },
  { name: "name", type: "text" },
  { name: "birthday", type: "date" },
  { name: "attributes", type: "jsonb" },
];

describe("staged rows", () => {
  const rows = [
    [0, 'Ann "the first", Jr.', "1990-04-03", { plan: "pro", notes: '{"a":1}' }],
    [1, null, null, {}],
  ];

  it("go to COPY as csv: numbers bare, text and a jsonb object's JSON text in quoted cells, NULL as an unquoted empty cell", () => {
    expect(stagedRowsCsv(COLUMNS, rows)).toBe(
      ['0,"Ann ""the first"", Jr.","1990-04-03","{""plan"":""pro"",""notes"":""{\\""a\\"":1}""}"', '1,,,"{}"', ""].join("\n"),
    );
  });

  it("go to json_populate_recordset as objects: a jsonb column's value nested as an object, not as its JSON text", () => {
    expect(JSON.parse(stagedRowsJson(COLUMNS, rows))).toEqual([
      { ord: 0, name: 'Ann "the first", Jr.', birthday: "1990-04-03", attributes: { plan: "pro", notes: '{"a":1}' } },
      { ord: 1, name: null, birthday: null, attributes: {} },
    ]);
  });

  it.each([
    ["JSON text for a jsonb column", [0, null, null, '{"plan":"pro"}'], /attributes is jsonb; got a string \(pass the object, not its JSON text\)/],
    ["an array for a jsonb column", [0, null, null, ["pro"]], /attributes is jsonb/],
    ["a number for a text column", [0, 7, null, {}], /name is text; got number 7/],
    ["a fraction for an integer column", [0.5, null, null, {}], /ord is integer/],
  ])("refuse %s on both paths", (_case, row, message) => {
    expect(() => stagedRowsCsv(COLUMNS, [row as never])).toThrow(message);
    expect(() => stagedRowsJson(COLUMNS, [row as never])).toThrow(message);
  });
});
