/**
 * Caps on what the mailbox pipeline reads. Each bounds memory or work per message, so a hostile
 * or broken mailbox costs a skipped message or a count, never a failed page.
 */
const KIB = 1024;
const MIB = 1024 * KIB;

/** Messages per page step: ≈ a second of work, and 1,000 messages are 5 steps. */
export const MAILBOX_PAGE_MESSAGES = 200;
/**
 * Raw bytes of one message kept for parsing; the rest (in practice attachments) is skipped while
 * splitting, never buffered. Headers and the text part come first in real mail.
 */
export const MAILBOX_MESSAGE_MAX_BYTES = 1 * MIB;
/** Addresses looked at per message across To/Cc/Reply-To; the rest is counted as dropped. */
export const MAILBOX_MAX_RECIPIENTS_PER_MESSAGE = 100;
/** Characters of the text body kept as the snippet. */
export const MAILBOX_SNIPPET_CHARS = 200;
/** Characters of the text body stored when a connection stores bodies. */
export const MAILBOX_BODY_MAX_CHARS = 64 * KIB;
/** Lines from the end of the sender's own text searched for a signature. */
export const MAILBOX_SIGNATURE_MAX_LINES = 8;
/** Largest upload accepted. */
export const MAILBOX_MAX_FILE_BYTES = 512 * MIB;
/** Entries and inflated bytes of an uploaded .zip of .eml files, checked while converting. */
export const MAILBOX_ZIP_MAX_ENTRIES = 100_000;
export const MAILBOX_ZIP_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * MIB;
/** Skipped messages kept on the connection as samples for the dashboard. */
export const MAILBOX_SKIPPED_SAMPLES = 20;
