import type { MailboxConnection } from "@/db/queries/mailbox-connections";
import type { IncomingMail } from "./parse-mail-message";

/**
 * `backfill` walks a mailbox's history back to the connection's window, a page at a time, at low
 * priority; `incremental` reads what arrived since the last sync, at high priority. Both move one
 * position (the connection's `cursor.source`), so new mail is never missed while history is
 * still being read, and history is never read twice.
 */
export type SyncMode = "backfill" | "incremental";

export type SourcePageRequest = {
  /** The source's position as its last committed page left it; null before the first page. */
  position: Record<string, unknown> | null;
  mode: SyncMode;
  maxMessages: number;
  /** The history window's start: backfill reads nothing older. */
  since: Date;
};

export type SourcePage = {
  mails: IncomingMail[];
  /** The source's position after this page, stored with the page's messages in one transaction. */
  position: Record<string, unknown>;
  /** backfill: the window is fully read. incremental: nothing more is waiting now. */
  complete: boolean;
};

/**
 * One mailbox server behind the small interface every vendor folder implements
 * (lib/mailbox/imap, lib/mailbox/gmail). A source is opened for one page and closed after it:
 * a step holds no connection between steps.
 */
export interface MailboxSource {
  nextPage(request: SourcePageRequest): Promise<SourcePage>;
  close(): Promise<void>;
}

export type SourceContext = {
  /** Stores credentials the source renewed (a refreshed OAuth access token), sealed, at once. */
  saveCredentials(plaintext: string): Promise<void>;
};

/** Opens the source for a connection with its opened (plaintext) credentials. */
export type OpenMailboxSource = (connection: MailboxConnection, credentials: string, context: SourceContext) => Promise<MailboxSource>;

/**
 * The server refused the credentials (a revoked token after one refresh, a changed password):
 * no retry can help, so the connection moves to `reconnect` and syncing stops until the user
 * connects again.
 */
export class MailboxAuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MailboxAuthError";
  }
}
