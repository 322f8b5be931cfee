import { type CountryCode, findPhoneNumbersInText, isSupportedCountry } from "libphonenumber-js/max";
import { MAILBOX_SIGNATURE_MAX_LINES } from "./mailbox-limits";

export type SignatureFacts = { phone: string | null; title: string | null; company: string | null };

// Where the sender's own text ends: the first quoted line or reply header.
const QUOTE_START = /^(?:>|On .{1,200} wrote:\s*$|Le .{1,200} a écrit\s*:\s*$|Am .{1,200} schrieb .{0,200}:\s*$|-{2,}\s*(?:Original|Forwarded) Message\s*-{2,}|_{10,}\s*$|From: .+@)/iu;
const SIGN_OFF = /^(?:best|best regards|kind regards|warm regards|regards|many thanks|thanks|thank you|cheers|sincerely|yours sincerely|yours truly|all the best|br|cordialement|bien à vous|viele grüße|mit freundlichen grüßen|saludos)[,.!]?\s*$/iu;

/**
 * The lines of the sender's signature: after the standard "-- " delimiter, else after the last
 * sign-off ("Best regards,"), and before any quoted text. Null when there is neither: a guess at
 * the last lines of a message is wrong too often to fill a contact from it.
 */
export function signatureBlock(text: string | null | undefined): string[] | null {
  if (!text) return null;
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const quote = lines.findIndex((line) => QUOTE_START.test(line.trim()));
  const own = quote === -1 ? lines : lines.slice(0, quote);
  const delimiter = own.findIndex((line) => line === "-- " || line === "--");
  let start = delimiter + 1;
  if (delimiter === -1) {
    const signOff = own.findLastIndex((line) => SIGN_OFF.test(line.trim()));
    if (signOff === -1) return null;
    start = signOff + 1;
  }
  const block = own
    .slice(start)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(0, MAILBOX_SIGNATURE_MAX_LINES);
  return block.length > 0 ? block : null;
}

const TITLE_WORDS =
  /\b(?:ceo|cto|cfo|coo|cmo|vp|svp|evp|founder|co-founder|cofounder|owner|president|director|manager|head of|engineer|developer|designer|consultant|partner|officer|lead|architect|analyst|specialist|coordinator|executive|assistant|advisor|associate|counsel|attorney|accountant|recruiter|representative|scientist|researcher|editor|producer|chair|principal)\b/iu;
const COMPANY_SUFFIX = /\b(?:inc|ltd|llc|llp|gmbh|ag|sa|sas|sarl|bv|nv|plc|corp|corporation|co|company|limited|group|labs|pty)\.?$/iu;
const NOT_A_NAME_LINE = /@|https?:\/\/|www\.|\d{3}/u;
const MAX_FACT_CHARS = 80;

/**
 * Phone, title and company from a signature block. The phone is the first valid number found
 * by libphonenumber (read in `defaultRegion` when written nationally); the title is a line with
 * a job word, split at " at ", ", " or " | " when the company follows on the same line; the
 * company is a line ending in a legal suffix, or the line right after the title.
 */
export function signatureFacts(lines: readonly string[], options: { defaultRegion?: string | null; senderName?: string | null } = {}): SignatureFacts {
  const region = options.defaultRegion?.toUpperCase();
  const defaultCountry = region && isSupportedCountry(region) ? (region as CountryCode) : undefined;
  let phone: string | null = null;
  for (const line of lines) {
    const found = findPhoneNumbersInText(line, defaultCountry ? { defaultCountry } : {}).find((match) => match.number.isValid());
    if (found) {
      phone = found.number.number;
      break;
    }
  }
  const senderName = options.senderName?.trim().toLowerCase();
  const textLines = lines.filter((line) => !NOT_A_NAME_LINE.test(line) && line.length <= MAX_FACT_CHARS && line.toLowerCase() !== senderName);
  let title: string | null = null;
  let company: string | null = null;
  const titleIndex = textLines.findIndex((line) => TITLE_WORDS.test(line));
  if (titleIndex !== -1) {
    const [titlePart, companyPart] = splitTitleLine(textLines[titleIndex]!);
    title = titlePart;
    company = companyPart ?? null;
    const next = textLines[titleIndex + 1];
    if (!company && next && !TITLE_WORDS.test(next)) company = next;
  }
  if (!company) company = textLines.find((line) => COMPANY_SUFFIX.test(line) && !TITLE_WORDS.test(line)) ?? null;
  return { phone, title: clean(title), company: clean(company) };
}

function splitTitleLine(line: string): [string, string | undefined] {
  const match = /^(.+?)(?:\s+at\s+|\s*[|,@·–—]\s*|\s+-\s+)(.+)$/iu.exec(line);
  if (match && TITLE_WORDS.test(match[1]!)) return [match[1]!, match[2]!];
  return [line, undefined];
}

const clean = (value: string | null) => {
  const text = value?.replace(/\s+/g, " ").trim();
  return text ? text : null;
};
