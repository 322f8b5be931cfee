/**
 * A Message-ID as stored: angle brackets and whitespace off, the domain lower-cased (domains are
 * case-insensitive, the local part is not). Null when nothing id-like is left.
 */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const inner = raw.trim().replace(/^<+/, "").replace(/>+$/, "").replace(/\s+/g, "");
  if (inner === "" || inner.length > 995) return null;
  const at = inner.lastIndexOf("@");
  return at > 0 ? `${inner.slice(0, at)}@${inner.slice(at + 1).toLowerCase()}` : inner;
}

/** Every id in a References / In-Reply-To header, in order. */
export function messageIdList(raw: string | string[] | null | undefined): string[] {
  if (!raw) return [];
  const text = Array.isArray(raw) ? raw.join(" ") : raw;
  const bracketed = text.match(/<[^<>\s]+>/g);
  const parts = bracketed ?? text.split(/\s+/);
  return parts.map((part) => normaliseMessageId(part)).filter((id): id is string => id !== null);
}

/**
 * The thread a message belongs to: the first id of References (the thread's root), else the
 * message it replies to, else itself. Every reply in a chain that keeps References therefore
 * lands on the same id, whatever the order in which the messages are read.
 */
export function threadRoot(references: string[], inReplyTo: string[], messageId: string): string {
  return references[0] ?? inReplyTo[0] ?? messageId;
}
