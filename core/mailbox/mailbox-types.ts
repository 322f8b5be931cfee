/** One address as a header names it; `name` is the decoded display name, if any. */
export type MailboxAddress = { name: string | null; address: string };

/**
 * Where an import's reader stands: the byte offset of the next message in the stored mbox.
 * Stored on the connection and moved with each committed page.
 */
export type MailboxCursor = { offset: number; pages: number };
