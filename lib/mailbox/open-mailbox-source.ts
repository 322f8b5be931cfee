import type { MailboxConnection } from "@/db/queries/mailbox-connections";
import { openGmailSource } from "./gmail/gmail-source";
import { openImapSource } from "./imap/imap-source";
import type { OpenMailboxSource } from "./mailbox-source";

/**
 * The source that syncs a connection of this kind: one vendor folder each, behind the
 * MailboxSource interface. An import has no source: it is read from its uploaded file.
 */
export function mailboxSourceOpener(kind: MailboxConnection["kind"]): OpenMailboxSource {
  switch (kind) {
    case "import":
      throw new Error("an import connection is read from its uploaded file, not synced");
    case "gmail":
      return openGmailSource;
    case "imap":
      return openImapSource;
  }
}
