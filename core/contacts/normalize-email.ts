import { domainToASCII } from "node:url";
import { boundedMemo } from "@/core/memo/bounded-memo";
import { accept, type Normalized, reject } from "./normalized";

export const EMAIL_MAX_LENGTH = 254;
const LOCAL_PART_MAX_BYTES = 64;

// Dot-atom local parts (RFC 5322 atext) widened to Unicode letters and digits for RFC 6531
// addresses. Quoted local parts and IP-literal domains are legal but in practice only ever typos.
const LOCAL_PART = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;

/**
 * Trims, NFC-normalises and lower-cases an address, then checks its syntax. The whole address
 * is lower-cased (not only the domain) because uniqueness is on lower(email): two spellings
 * that differ only in case are one contact.
 */
export function normalizeEmail(input: string): Normalized<string> {
  const email = input.trim().normalize("NFC").toLowerCase();
  if (email === "") return reject("is empty");
  if (email.length > EMAIL_MAX_LENGTH) return reject(`is longer than ${EMAIL_MAX_LENGTH} characters`);
  const at = email.lastIndexOf("@");
  if (at <= 0 || at === email.length - 1) return reject("is not an email address");
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!LOCAL_PART.test(local)) return reject("is not an email address");
  if (Buffer.byteLength(local, "utf8") > LOCAL_PART_MAX_BYTES) return reject("has a local part longer than 64 bytes");
  if (!validDomain(domain)) return reject("has an invalid domain");
  return accept(email);
}

/**
 * Whether a domain is valid, by name. An import of a million addresses names a few thousand
 * domains at most, and checking one (labels, punycode) cost more than the rest of the address.
 */
const validDomain = boundedMemo(checkDomain, 10_000);

function checkDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  if (/^\d+$/.test(labels.at(-1)!)) return false;
  // Label and length limits apply to the punycode form that DNS sees.
  const ascii = domainToASCII(domain);
  return ascii !== "" && ascii.length <= 253 && ascii.split(".").every((label) => label.length <= 63);
}
