/**
 * Whether a message was sent by a machine rather than a person, and why. Automated mail is
 * stored (it is part of the mailbox) but never feeds contact extraction: a newsletter's sender
 * or a notification's reply-to is not a relationship.
 *
 * `headers` maps lower-cased header names to their raw (unfolded) values.
 */
export function automatedReason(headers: ReadonlyMap<string, string>, fromAddress: string | null): string | null {
  if (headers.has("list-unsubscribe")) return "list-unsubscribe";
  if (headers.has("list-id")) return "list-id";
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  if (precedence && ["bulk", "list", "junk"].includes(precedence)) return `precedence: ${precedence}`;
  const autoSubmitted = headers.get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return `auto-submitted: ${autoSubmitted.split(";")[0]!.trim()}`;
  if (headers.has("x-auto-response-suppress")) return "x-auto-response-suppress";
  if (fromAddress && isMachineSender(fromAddress)) return "machine sender";
  return null;
}

// Local parts that only machines use. Matched on the whole local part (with separators), so
// "noreply-billing@" and "notifications@" match while "noreen@" does not.
const MACHINE_LOCAL_PART =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|mailer[-_.]?daemon|postmaster|bounces?|notifications?|notify|alerts?|automated|auto[-_.]?confirm)(?:[-_.+].*)?$/i;

export function isMachineSender(address: string): boolean {
  const at = address.lastIndexOf("@");
  const local = at > 0 ? address.slice(0, at) : address;
  return MACHINE_LOCAL_PART.test(local) || /(?:^|[-_.+])no[-_.]?reply$/i.test(local);
}
