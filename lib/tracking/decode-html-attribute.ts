/**
 * Named character references, by code point. The Latin-1 names are also the "legacy" ones
 * that HTML still decodes without a trailing semicolon.
 */
const LATIN1_NAMES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot " +
  "cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml " +
  "Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig " +
  "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute " +
  "ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";

const LEGACY: Record<string, string> = {
  amp: "&", AMP: "&", lt: "<", LT: "<", gt: ">", GT: ">", quot: '"', QUOT: '"', COPY: "\u00a9", REG: "\u00ae",
  ...Object.fromEntries(LATIN1_NAMES.split(" ").map((name, index) => [name, String.fromCodePoint(0xa0 + index)])),
};

/** Semicolon-terminated names for the ASCII punctuation a URL may be written with. */
const NAMED: Record<string, string> = {
  ...LEGACY,
  apos: "'", excl: "!", num: "#", dollar: "$", percnt: "%", lpar: "(", rpar: ")", ast: "*", midast: "*", plus: "+",
  comma: ",", period: ".", sol: "/", colon: ":", semi: ";", equals: "=", quest: "?", commat: "@", lsqb: "[", lbrack: "[",
  bsol: "\\", rsqb: "]", rbrack: "]", Hat: "^", lowbar: "_", UnderBar: "_", grave: "`", DiacriticalGrave: "`", lcub: "{",
  lbrace: "{", verbar: "|", vert: "|", VerticalLine: "|", rcub: "}", rbrace: "}", Tab: "\t", NewLine: "\n",
};

const REFERENCE = /&(?:#[xX]([0-9A-Fa-f]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g;

/**
 * Decodes an attribute value as a browser does, or returns null when it holds a reference this
 * table does not know (HTML has over 2,000 names): the caller then leaves the attribute alone
 * rather than act on a guess. Numeric references to C1 controls, surrogates or out-of-range
 * code points also give null, since browsers remap those.
 */
export function decodeHtmlAttribute(raw: string): string | null {
  let unknown = false;
  const decoded = raw.replace(REFERENCE, (match, hex: string | undefined, dec: string | undefined, name: string | undefined, semicolon: string, offset: number) => {
    if (hex !== undefined || dec !== undefined) {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec!, 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code >= 0x80 && code <= 0x9f)) {
        unknown = true;
        return match;
      }
      return String.fromCodePoint(code);
    }
    if (semicolon) {
      if (Object.hasOwn(NAMED, name!)) return NAMED[name!]!;
      unknown = true;
      return match;
    }
    // Without a semicolon, attribute values only decode a legacy name that is not followed by
    // "=" or an alphanumeric, so "?a=1&copy=2" keeps its "&copy". The pattern took every
    // alphanumeric, so a legacy name followed by more letters is not in LEGACY and stays too.
    const after = raw[offset + match.length];
    return after !== "=" && Object.hasOwn(LEGACY, name!) ? LEGACY[name!]! : match;
  });
  return unknown ? null : decoded;
}

/** Escapes a value for a double-quoted attribute. */
export function escapeHtmlAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
