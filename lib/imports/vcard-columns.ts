import ICAL from "ical.js";
import iconv from "iconv-lite";

/**
 * A card as header cells and values, the columns a CSV of the same contact would have, so one
 * mapping (core/imports/map-header.ts) reads both. Every card yields the columns it has:
 *
 * | vCard | column(s) |
 * | --- | --- |
 * | N | Given Name, Family Name, Additional Names, Honorific Prefix, Honorific Suffix |
 * | FN | Full Name (when it is not just N's parts) |
 * | EMAIL, TEL | EMAIL 1, EMAIL 1 Type, TEL 1, TEL 1 Type, … (type from TYPE/PREF, or Apple's X-ABLabel) |
 * | BDAY | BDAY (Apple's year 1604 and X-APPLE-OMIT-YEAR mean "no year": --MM-DD) |
 * | LANG, TZ | Language, TZ |
 * | ORG, TITLE, ROLE, NOTE, NICKNAME, GENDER, ANNIVERSARY | Organization, Department, Job Title, Role, Notes, Nickname, Gender, Anniversary |
 * | CATEGORIES | Categories (tags) |
 * | ADR, URL, IMPP | Address 1 - Value/Label, Website 1 - Value/Label, IM 1 - Value/Label |
 * | X-… and any other property | its name (X-SKYPE → attribute x_skype) |
 *
 * Left out: PHOTO, LOGO, SOUND, KEY (binary), and bookkeeping (VERSION, PRODID, REV, UID, KIND,
 * SOURCE, CLIENTPIDMAP, LABEL, which repeats ADR, and Apple's X-AB… housekeeping).
 */
export interface VcardColumns {
  headers: string[];
  cells: string[];
}

const SKIPPED = new Set([
  "version", "prodid", "rev", "uid", "kind", "source", "clientpidmap", "label", "mailer", "name", "profile", "sort-string", "class",
  "photo", "logo", "sound", "key", "x-abuid", "x-abshowas", "x-abadr", "x-ablabel", "x-addressbookserver-kind", "x-addressbookserver-member",
]);
/** Types that say nothing about which address or number this is. */
const SILENT_TYPES = new Set(["internet", "pref", "voice", "x400", "text", "msg"]);
const TYPE_LABELS: Record<string, string> = { cell: "Mobile", iphone: "iPhone", main: "Main", home: "Home", work: "Work", fax: "Fax", pager: "Pager", other: "Other" };

type Property = { name: string; params: Record<string, string | string[]>; values: unknown[] };

/** vCard 2.1 writes bare parameters (TEL;CELL;PREF): given their names, ical.js reads them. */
function nameBareParameters(line: string): string {
  const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  if (colon <= 0 || !line.slice(0, colon).includes(";")) return line;
  const [name, ...params] = line.slice(0, colon).split(";");
  const named = params.map((param) => {
    if (param.includes("=") || param === "") return param;
    return /^(quoted-printable|base64|b|8bit|7bit)$/i.test(param) ? `ENCODING=${param}` : `TYPE=${param}`;
  });
  return `${[name, ...named].join(";")}${line.slice(colon)}`;
}

function decodeQuotedPrintable(text: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === "=" ? text.slice(i + 1, i + 3) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(text[i]!, "utf8")) bytes.push(byte);
    }
  }
  const encoding = iconv.encodingExists(charset) ? charset : "utf-8";
  return iconv.decode(Buffer.from(bytes), encoding);
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(",")).map((item) => item.trim().toLowerCase());
}

/** A value as text: structured components (N, ADR, ORG) joined by `separator`, lists by ", ". */
function text(value: unknown, separator = " "): string {
  if (Array.isArray(value)) return value.map((part) => text(part, ", ")).filter((part) => part !== "").join(separator);
  // ical.js unescapes "\," and "\n"; exporters also escape ";" and ":" (Google writes "https\://").
  if (typeof value === "string") return value.replace(/\\([;:])/g, "$1").trim();
  return value === null || value === undefined ? "" : String(value);
}

/** "_$!<Mobile>!$_" (Apple's built-in labels) → "Mobile"; custom labels are plain text. */
function appleLabel(value: string): string {
  return value.replace(/^_\$!<(.*)>!\$_$/, "$1").trim();
}

/**
 * Reads a card's content lines (BEGIN/END excluded) into columns. Throws when the card cannot be
 * parsed (a line with no value, an unclosed quote in a parameter): the caller reports the card.
 */
export function vcardColumns(lines: readonly string[]): VcardColumns {
  const parsed = ICAL.parse(["BEGIN:VCARD", ...lines.map(nameBareParameters), "END:VCARD"].join("\r\n")) as unknown as [string, unknown[][], unknown[]];
  const jcard = Array.isArray(parsed[0]) ? (parsed[0] as unknown as typeof parsed) : parsed;
  const properties: Property[] = jcard[1].map(([name, params, , ...values]) => {
    const p = params as Record<string, string | string[]>;
    const encoding = typeof p.encoding === "string" ? p.encoding.toLowerCase() : "";
    if (encoding === "quoted-printable") {
      const charset = typeof p.charset === "string" ? p.charset : "utf-8";
      const decode = (value: unknown): unknown =>
        typeof value === "string" ? decodeQuotedPrintable(value, charset) : Array.isArray(value) ? value.map(decode) : value;
      values = values.map(decode);
    }
    return { name: String(name), params: p, values };
  });

  const headers: string[] = [];
  const cells: string[] = [];
  const add = (header: string, value: string) => {
    if (value === "") return;
    headers.push(header);
    cells.push(value);
  };
  const groupLabels = new Map<string, string>();
  for (const property of properties) {
    if (property.name === "x-ablabel" && typeof property.params.group === "string") groupLabels.set(property.params.group.toLowerCase(), appleLabel(text(property.values[0])));
  }
  const labelOf = (property: Property): string => {
    const types = list(property.params.type);
    const preferred = types.includes("pref") || property.params.pref !== undefined;
    const group = typeof property.params.group === "string" ? groupLabels.get(property.params.group.toLowerCase()) : undefined;
    const named = group ?? types.filter((type) => !SILENT_TYPES.has(type)).map((type) => TYPE_LABELS[type] ?? type).join(" ");
    return `${preferred ? "* " : ""}${named}`.trim();
  };
  const counters = new Map<string, number>();
  const numbered = (base: string, property: Property, value: string, style: "plain" | "group") => {
    if (value === "") return;
    const n = (counters.get(base) ?? 0) + 1;
    counters.set(base, n);
    add(style === "plain" ? `${base} ${n}` : `${base} ${n} - Value`, value);
    add(style === "plain" ? `${base} ${n} Type` : `${base} ${n} - Label`, labelOf(property));
  };

  const notes: string[] = [];
  const categories: string[] = [];
  let name: Property | undefined;
  let fullName = "";
  for (const property of properties) {
    const first = property.values[0];
    switch (property.name) {
      case "n":
        name = property;
        break;
      case "fn":
        fullName = text(first);
        break;
      case "email":
        numbered("EMAIL", property, text(first), "plain");
        break;
      case "tel":
        numbered("TEL", property, text(first).replace(/^tel:/i, ""), "plain");
        break;
      case "bday": {
        let value = text(first);
        const omitted = property.params["x-apple-omit-year"];
        if (/^\d{4}-\d{2}-\d{2}T/.test(value)) value = value.slice(0, 10);
        if ((omitted !== undefined && value.startsWith(String(omitted))) || value.startsWith("1604-")) value = `--${value.slice(5, 10)}`;
        add("BDAY", value);
        break;
      }
      case "lang":
        add("Language", text(first));
        break;
      case "tz":
        add("TZ", text(first));
        break;
      case "org": {
        const [organization, ...units] = Array.isArray(first) ? first : [first];
        add("Organization", text(organization));
        add("Department", text(units, ", "));
        break;
      }
      case "title":
        add("Job Title", text(first));
        break;
      case "role":
        add("Role", text(first));
        break;
      case "note":
        notes.push(text(first));
        break;
      case "nickname":
        add("Nickname", text(property.values, ", "));
        break;
      case "gender":
        add("Gender", text(first, " "));
        break;
      case "anniversary":
        add("Anniversary", text(first));
        break;
      case "categories":
        categories.push(...property.values.map((value) => text(value)));
        break;
      case "adr":
        numbered("Address", property, text(first, ", "), "group");
        break;
      case "url":
        numbered("Website", property, text(first), "group");
        break;
      case "impp":
        numbered("IM", property, text(first), "group");
        break;
      default: {
        if (SKIPPED.has(property.name) || property.name.startsWith("x-addressbookserver-")) break;
        const group = typeof property.params.group === "string" ? groupLabels.get(property.params.group.toLowerCase()) : undefined;
        // Apple's labelled dates and names (X-ABDATE "Anniversary", X-ABRELATEDNAMES "Sister") are named by their label.
        const header = group ? (property.name.startsWith("x-ab") ? group : `${property.name.toUpperCase()} ${group}`) : property.name.toUpperCase();
        add(header, text(property.values, ", "));
      }
    }
  }
  if (name) {
    const [family, given, additional, prefix, suffix] = (Array.isArray(name.values[0]) ? name.values[0] : [name.values[0]]) as unknown[];
    add("Given Name", text(given));
    add("Family Name", text(family));
    add("Additional Names", text(additional));
    add("Honorific Prefix", text(prefix));
    add("Honorific Suffix", text(suffix));
    const parts = [prefix, given, additional, family, suffix].map((part) => text(part)).filter((part) => part !== "");
    if (fullName !== parts.join(" ")) add("Full Name", fullName);
  } else {
    add("Full Name", fullName);
  }
  add("Notes", notes.filter((note) => note !== "").join("\n"));
  add("Categories", categories.filter((category) => category !== "").join(" ::: "));
  return { headers, cells };
}
