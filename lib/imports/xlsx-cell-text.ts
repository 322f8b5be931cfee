const MS_PER_DAY = 86_400_000;
const UNIX_EPOCH_SERIAL_1900 = 25_569; // 1970-01-01 in the 1900 date system
const DATE_SYSTEM_OFFSET_DAYS = 1_462; // 1904-01-01 minus 1900-01-00

export interface CellText {
  text: string;
  /** Set when the value could not be read as the user sees it (left empty). */
  warning?: string;
}

/** Excel's own date test: any y/m/d/h/s token outside quoted text and [brackets]. */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhsb]/i.test(numFmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "").replace(/\\./g, ""));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * Serial day number → ISO text: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` when there is a time of day,
 * `HH:MM:SS` for a bare time. Excel dates carry no zone, so neither does the output. The 1900
 * system keeps Lotus's phantom 1900-02-29, so serials below 61 use an epoch one day later.
 */
export function excelSerialToIso(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  const totalSeconds = Math.round(serial * 86_400);
  const days = Math.floor(totalSeconds / 86_400);
  const seconds = totalSeconds - days * 86_400;
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  if (days === 0 && !date1904) return time;
  let unixDays = days - UNIX_EPOCH_SERIAL_1900 + (date1904 ? DATE_SYSTEM_OFFSET_DAYS : 0);
  if (!date1904 && days < 61) unixDays += 1;
  const date = new Date(unixDays * MS_PER_DAY);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return null;
  const iso = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  return seconds === 0 ? iso : `${iso}T${time}`;
}

/** Beyond 2^53 only Excel's 15 significant digits are real: 1.2345678901234568e20 → "123456789012346000000". */
function plainDigits(value: number): string {
  const [mantissa = "0", exponent = "0"] = Math.abs(value).toPrecision(15).split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const shift = Number(exponent);
  const digits = (whole + fraction).replace(/^0+/, "");
  const text = shift >= fraction.length ? digits + "0".repeat(shift - fraction.length) : String(Math.round(Math.abs(value)));
  return (value < 0 ? "-" : "") + text;
}

/**
 * Numbers as the digits the user typed: 14155550123 stays "14155550123" (no exponent, no ".0"),
 * zero-padded formats such as "00000" keep their leading zeros, and binary noise is trimmed to
 * Excel's 15 significant digits (0.1+0.2 → "0.3").
 */
export function excelNumberText(value: number, numFmt: string | undefined): string {
  if (!Number.isFinite(value)) return "";
  if (Number.isInteger(value)) {
    const digits = Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value.toFixed(0) : plainDigits(value);
    const zeros = numFmt && /^0+$/.test(numFmt) ? numFmt.length : 0;
    return value >= 0 && zeros > digits.length ? digits.padStart(zeros, "0") : digits;
  }
  return String(Number(value.toPrecision(15)));
}

const XLSX_ESCAPE = /_x([0-9a-fA-F]{4})_/g;

/**
 * Undoes the escapes OOXML string values use for characters XML cannot carry (ST_Xstring):
 * `_x000D_` is a carriage return, `_x005F_` a literal underscore (so `_x005F_x0041_` reads
 * `_x0041_`). Excel writes them for line breaks and control characters; exceljs's streaming
 * reader leaves them as they are. What they decode to may be NUL or half a surrogate pair:
 * mapRow makes cell text storable afterwards, as for every reader.
 */
export function decodeXlsxEscapes(text: string): string {
  return text.includes("_x") ? text.replace(XLSX_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

interface RichTextRun {
  text?: unknown;
}

function richText(runs: readonly RichTextRun[]): string {
  return decodeXlsxEscapes(runs.map((run) => (typeof run.text === "string" ? run.text : "")).join(""));
}

/**
 * One exceljs cell value → text. Never evaluates formulas: only the cached result the file
 * stores is used. `exceljsDate1904` is the date system exceljs itself assumed when it turned a
 * date-formatted number into a Date; we undo that and re-apply the workbook's real system.
 */
export function xlsxCellText(
  value: unknown,
  numFmt: string | undefined,
  date1904: boolean,
  exceljsDate1904: boolean,
): CellText {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: decodeXlsxEscapes(value) };
  if (typeof value === "number") {
    if (isDateFormat(numFmt)) return { text: excelSerialToIso(value, date1904) ?? excelNumberText(value, numFmt) };
    return { text: excelNumberText(value, numFmt) };
  }
  if (typeof value === "boolean") return { text: value ? "TRUE" : "FALSE" };
  if (value instanceof Date) {
    const serial = value.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL_1900 - (exceljsDate1904 ? DATE_SYSTEM_OFFSET_DAYS : 0);
    return { text: excelSerialToIso(serial, date1904) ?? "" };
  }
  if (typeof value === "object") {
    const cell = value as Record<string, unknown>;
    if ("formula" in cell || "sharedFormula" in cell) {
      const result = cell.result;
      if (result === undefined || result === null) {
        return { text: "", warning: "formula has no saved result (the file was never recalculated); left empty" };
      }
      if (typeof result === "number" && Number.isNaN(result)) {
        return { text: "", warning: "formula result is an error value; left empty" };
      }
      if (typeof result === "object" && result !== null && "error" in result) {
        return { text: "", warning: `formula result is the error ${String((result as { error: unknown }).error)}; left empty` };
      }
      return xlsxCellText(result, numFmt, date1904, exceljsDate1904);
    }
    if ("error" in cell) return { text: "", warning: `cell holds the error ${String(cell.error)}; left empty` };
    if (Array.isArray(cell.richText)) return { text: richText(cell.richText as RichTextRun[]) };
    if ("hyperlink" in cell || "text" in cell) {
      const text = cell.text;
      if (typeof text === "string") return { text: decodeXlsxEscapes(text) };
      if (text && typeof text === "object" && Array.isArray((text as { richText?: unknown }).richText)) {
        return { text: richText((text as { richText: RichTextRun[] }).richText) };
      }
      return { text: typeof cell.hyperlink === "string" ? cell.hyperlink : "" };
    }
  }
  return { text: "" };
}
