/**
 * How rows travel to a staging table. The caller hands over typed values — a jsonb column gets
 * the object itself, never its JSON text — and each load path encodes them for itself: COPY's
 * csv format wants the JSON text in a quoted cell, while json_populate_recordset wants the
 * object nested in the row, because a string there is stored as a jsonb *string*. Encoding in
 * one place for each path is what keeps the paths from drifting apart again.
 */
export type StageColumnType = "integer" | "smallint" | "text" | "date" | "jsonb";

export interface StageColumn {
  name: string;
  type: StageColumnType;
}

export type JsonObject = { [key: string]: unknown };
export type StageValue = string | number | JsonObject | null;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value of the wrong kind is a programming error, caught here rather than stored wrongly. */
function checked(column: StageColumn, value: StageValue): StageValue {
  if (value === null) return value;
  const ok =
    column.type === "jsonb" ? isJsonObject(value) : column.type === "integer" || column.type === "smallint" ? Number.isInteger(value) : typeof value === "string";
  if (!ok) {
    const got = typeof value === "string" && column.type === "jsonb" ? "a string (pass the object, not its JSON text)" : `${typeof value} ${String(value).slice(0, 40)}`;
    throw new TypeError(`staging column ${column.name} is ${column.type}; got ${got}`);
  }
  return value;
}

function csvCell(column: StageColumn, value: StageValue): string {
  if (checked(column, value) === null) return ""; // unquoted empty = NULL in COPY's csv format
  if (typeof value === "number") return String(value); // digits need no quotes
  const text = column.type === "jsonb" ? JSON.stringify(value) : (value as string);
  return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
}

/** Rows as the body of `COPY … (columns) FROM … WITH (FORMAT csv)`. */
export function stagedRowsCsv(columns: readonly StageColumn[], rows: readonly StageValue[][]): string {
  let text = "";
  for (const row of rows) text += `${columns.map((column, index) => csvCell(column, row[index] ?? null)).join(",")}\n`;
  return text;
}

/** Rows as one JSON array of objects, for `json_populate_recordset(null::<table>, $1::json)`. */
export function stagedRowsJson(columns: readonly StageColumn[], rows: readonly StageValue[][]): string {
  return JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((column, index) => [column.name, checked(column, row[index] ?? null)]))));
}
