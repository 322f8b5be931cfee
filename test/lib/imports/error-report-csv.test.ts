import { describe, expect, it } from "vitest";
import { csvCell, errorReportLine } from "@/lib/imports/error-report-csv";

describe("error report CSV", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["\rx", "\"'\rx\""],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["=A1,B1", "\"'=A1,B1\""],
    [" padded ", '" padded "'],
  ])("%j → %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it("leaves numbers and nulls alone", () => {
    expect(errorReportLine({ line: 7, column: null, reason: "row has 2 cells but the header has 3", value: null })).toBe(
      "7,,row has 2 cells but the header has 3,\r\n",
    );
  });
});
