/** One address as a header names it; `name` is the decoded display name, if any. */
export type MailboxAddress = { name: string | null; address: string };

/**
 * Where a connection's reader stands, stored on the connection and moved in the same
 * transaction as the page it ends. `pages` counts committed pages: a page commits only if it is
 * still the count it started from, so two runs never commit the same page twice. `offset` is an
 * import's byte offset into its stored mbox; `source` is a synced mailbox's own position (IMAP
 * folders' UIDVALIDITY/UIDNEXT/MODSEQ, Gmail's history id), owned by its source.
 */
export type MailboxCursor = { pages: number; offset?: number; source?: Record<string, unknown> };

/** Where a synced mailbox lives and as whom to connect; never a secret (those are sealed apart). */
export type MailboxSettings =
  | { kind: "imap"; host: string; port: number; secure: boolean; user: string; folders: string[] }
  | { kind: "gmail"; address: string };
