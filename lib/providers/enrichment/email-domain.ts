import { domainToASCII, domainToUnicode } from "node:url";
import { isFreeMailDomain } from "./free-mail-domains";
import { MULTI_LABEL_PUBLIC_SUFFIXES } from "./public-suffixes";

export type DomainFacts =
  | {
      ok: true;
      /** Registrable domain in ASCII (punycode) form: mail.acme.co.uk → acme.co.uk. */
      domain: string;
      isFreeMail: boolean;
      /** A name guessed from the domain; null for free-mail domains. */
      company: string | null;
    }
  | { ok: false; reason: string };

/**
 * The mail domain of an address in canonical ASCII form, or undefined when there is none
 * worth looking at. The domain is what follows the last "@" (a quoted local part may hold
 * one), lower-cased, without the root dot, IDNs as punycode.
 */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  if (at <= 0) return undefined;
  const raw = email.slice(at + 1).trim().replace(/\.+$/, "");
  // Address literals (user@[192.0.2.1]) name a host, not an organisation.
  if (raw === "" || raw.startsWith("[")) return undefined;
  const ascii = domainToASCII(raw.toLowerCase());
  if (!ascii || !ascii.includes(".")) return undefined;
  const labels = ascii.split(".");
  if (labels.some((label) => label === "" || label.length > 63 || !/^[a-z0-9-]+$/.test(label))) return undefined;
  // A numeric top-level label means an IPv4 address, which URL parsing would have normalised.
  if (/^\d+$/.test(labels.at(-1)!)) return undefined;
  return ascii;
}

/** The domain a company registers: one label under its public suffix. Undefined for a bare suffix. */
export function registrableDomain(domain: string): string | undefined {
  const labels = domain.split(".");
  if (labels.length < 2) return undefined;
  const lastTwo = labels.slice(-2).join(".");
  const suffixLabels = MULTI_LABEL_PUBLIC_SUFFIXES.has(lastTwo) ? 2 : 1;
  if (labels.length <= suffixLabels) return undefined;
  return labels.slice(-(suffixLabels + 1)).join(".");
}

/** "acme-corp.co.uk" → "Acme Corp"; IDNs come back in Unicode ("xn--bcher-kva.de" → "Bücher"). */
export function companyNameFromDomain(registrable: string): string {
  const label = domainToUnicode(registrable.split(".")[0]!) || registrable.split(".")[0]!;
  return label
    .split(/[-_]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/** Everything the local provider knows about an address, derived from its domain alone. */
export function domainFacts(email: string): DomainFacts {
  const domain = emailDomain(email);
  if (!domain) return { ok: false, reason: "the email address has no usable domain" };
  const registrable = registrableDomain(domain);
  if (!registrable) return { ok: false, reason: `${domain} is a public suffix, not a registrable domain` };
  const isFreeMail = isFreeMailDomain(registrable);
  return { ok: true, domain: registrable, isFreeMail, company: isFreeMail ? null : companyNameFromDomain(registrable) };
}
