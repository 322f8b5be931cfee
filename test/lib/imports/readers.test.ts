import { describe, expect, it } from "vitest";
import { sniffDelimiters } from "@/lib/imports/sniff-csv-dialect";
import { decodeXml } from "@/lib/imports/read-workbook-info";
import { decodeXlsxEscapes, excelNumberText, excelSerialToIso, isDateFormat, xlsxCellText } from "@/lib/imports/xlsx-cell-text";

describe("sniffDelimiters", () => {
  it.each([
    ["a,b,c\n1,2,3\n", ",", "\n"],
    ["a;b;c\r\n1;2,5;3\r\n", ";", "\r\n"],
    ["a\tb\n1\t2\n", "\t", "\n"],
    ["a|b\r1|2\r", "|", "\r"],
    ['name;note\n"x, y";"a,b,c"\n"p, q";r\n', ";", "\n"],
    ['"a,b";c\n"1,2";3\n', ";", "\n"],
    ["email\nx@example.com\n", ",", "\n"],
    ['a,b\n"multi\nline;;;",2\n', ",", "\n"],
  ])("%j → %j", (text, delimiter, recordDelimiter) => {
    expect(sniffDelimiters(text, true)).toEqual({ delimiter, recordDelimiter });
  });
});

describe("xlsx cell text", () => {
  it.each([
    [45292, false, "2024-01-01"],
    [45292.5, false, "2024-01-01T12:00:00"],
    [1, false, "1900-01-01"],
    [0.75, false, "18:00:00"],
    [43830, true, "2024-01-01"],
    [0, true, "1904-01-01"],
    [-1, false, null],
  ])("serial %d (1904: %s) → %s", (serial, date1904, iso) => {
    expect(excelSerialToIso(serial, date1904)).toBe(iso);
  });

  it.each([
    [14155550123, undefined, "14155550123"],
    [1.4155550123e10, "General", "14155550123"],
    [447700900123, "0", "447700900123"],
    [2139, "00000", "02139"],
    [0.1 + 0.2, undefined, "0.3"],
    [-12, "00000", "-12"],
    [123456789012345680000, undefined, "123456789012346000000"],
    [9007199254740993, undefined, "9007199254740990"],
  ])("number %d with format %s → %s", (value, numFmt, text) => {
    expect(excelNumberText(value, numFmt)).toBe(text);
  });

  it.each([
    ["yyyy-mm-dd", true], ["m/d/yyyy", true], ["[$-409]d-mmm-yy", true], ["0.00", false], ['0 "days"', false], ["General", false], ["#,##0", false],
  ])("date format %s → %s", (fmt, isDate) => {
    expect(isDateFormat(fmt)).toBe(isDate);
  });

  it.each([
    [{ formula: "A1", result: "x" }, { text: "x" }],
    [{ formula: "A1" }, { text: "", warning: expect.stringContaining("no saved result") }],
    [{ sharedFormula: "A1", result: 42 }, { text: "42" }],
    [{ formula: "1/0", result: Number.NaN }, { text: "", warning: expect.stringContaining("error") }],
    [{ error: "#N/A" }, { text: "", warning: expect.stringContaining("#N/A") }],
    [{ richText: [{ text: "a" }, { text: "b" }] }, { text: "ab" }],
    [{ text: "site", hyperlink: "https://x.example" }, { text: "site" }],
    [{ text: { richText: [{ text: "rich " }, { text: "link" }] }, hyperlink: "https://x.example" }, { text: "rich link" }],
    [true, { text: "TRUE" }],
    [null, { text: "" }],
  ])("%j → %j", (value, expected) => {
    expect(xlsxCellText(value, undefined, false, false)).toEqual(expected);
  });

  it.each([
    ["line_x000D_\nbreak", "line\r\nbreak"],
    ["tab_x0009_here", "tab\there"],
    ["_x005F_x0041_ is an escaped escape", "_x0041_ is an escaped escape"],
    ["_xD83D__xDE00_", "😀"],
    ["nul_x0000_", "nul\u0000"],
    ["_xZZZZ_ and _x12_ are not escapes", "_xZZZZ_ and _x12_ are not escapes"],
  ])("decodes OOXML escapes: %j → %j", (text, expected) => {
    expect(decodeXlsxEscapes(text)).toBe(expected);
    expect(xlsxCellText(text, undefined, false, false)).toEqual({ text: expected });
    expect(xlsxCellText({ richText: [{ text }] }, undefined, false, false)).toEqual({ text: expected });
  });

  it("re-reads exceljs Dates in the workbook's real date system", () => {
    // exceljs assumed 1900 for a 1904 workbook: serial 31548 became 1986-05-16 in its Date.
    const exceljsDate = new Date(Date.UTC(1986, 4, 16));
    expect(xlsxCellText(exceljsDate, "yyyy-mm-dd", true, false)).toEqual({ text: "1990-05-17" });
    expect(xlsxCellText(exceljsDate, "yyyy-mm-dd", false, false)).toEqual({ text: "1986-05-16" });
    expect(xlsxCellText({ formula: "B1", result: 45292 }, "yyyy-mm-dd", false, false)).toEqual({ text: "2024-01-01" });
  });
});

describe("workbook info", () => {
  it.each([
    ["Q&amp;A &lt;2024&gt;", "Q&A <2024>"],
    ["caf&#xE9; &#233;", "café é"],
    ["&#x1F600;", "😀"],
    // Not characters: read as U+FFFD instead of throwing or yielding text nothing can store.
    ["&#x110000;", "\uFFFD"],
    ["&#xD83D;", "\uFFFD"],
    ["&#0;", "\uFFFD"],
    ["&#99999999999;", "\uFFFD"],
  ])("decodes character references in sheet names: %j → %j", (text, expected) => {
    expect(decodeXml(text)).toBe(expected);
  });

  it("counts the workbook's cell formats, which exceljs must have loaded before a sheet is read", async () => {
    const { join } = await import("node:path");
    const { inspectZip } = await import("@/lib/imports/inspect-zip");
    const { readWorkbookInfo } = await import("@/lib/imports/read-workbook-info");
    const file = join(process.cwd(), "test/fixtures/imports/date1904.xlsx");
    // This fixture stores its sheet before xl/styles.xml: the order in which exceljs was seen to lose the formats.
    expect(await readWorkbookInfo(file, await inspectZip(file))).toMatchObject({ date1904: true, cellStyleCount: 3 });
  });
});
