import { normalizeEmail } from "./normalize-email";

// "Name <address>" or a bare address.
const NAMED_ADDRESS = /^\s*(?:"?([^"<>]*)"?\s*)?<([^<>]+)>\s*$/;

/** Checks an email From/Reply-To: a bare address or `Name <address>`; null when it is one. */
export function emailSenderIssue(value: string): string | null {
  const match = NAMED_ADDRESS.exec(value);
  const address = match ? match[2]! : value;
  const result = normalizeEmail(address);
  return result.ok ? null : `address ${result.reason}`;
}
