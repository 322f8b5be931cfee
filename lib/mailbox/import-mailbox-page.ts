import type { Db } from "@/db";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { MAILBOX_PAGE_MESSAGES } from "@/core/mailbox/mailbox-limits";
import type { FileStorage } from "@/lib/storage/file-storage";
import { type IngestOutcome, ingestMailboxPage, nothingIngested } from "./ingest-mailbox-page";
import { readMboxPage } from "./read-mbox-page";

/** What one page did; `state` says why the loop stops (anything but "active" stops it). */
export type MailboxPageResult = IngestOutcome & {
  state: "active" | "done" | "paused" | "error" | "disconnected" | "reconnect" | "missing";
  /** The cursor after this page. */
  offset: number;
};

const idle = (state: MailboxPageResult["state"], offset = 0): MailboxPageResult => ({ state, offset, ...nothingIngested() });

/**
 * Reads the next page of an import connection's stored file from its cursor (a byte offset) and
 * hands it to ingestMailboxPage, which commits the page and the cursor's move together.
 */
export async function importMailboxPage(db: Db, storage: FileStorage, params: { workspaceId: string; connectionId: string; pageMessages?: number }): Promise<MailboxPageResult> {
  const connection = await getMailboxConnection(db, params);
  if (!connection) return idle("missing");
  const offset = connection.cursor?.offset ?? 0;
  if (connection.finishedAt) return idle("done", offset);
  if (connection.status !== "active") return idle(connection.status, offset);
  if (!connection.fileKey) return idle("error", offset);

  const page = await readMboxPage(await storage.openRead(connection.fileKey, { start: offset }), { offset, maxMessages: params.pageMessages ?? MAILBOX_PAGE_MESSAGES });
  const done = page.nextOffset === null;
  const nextOffset = page.nextOffset ?? offset + page.messages.reduce((sum, m) => sum + m.bytes, 0);
  const outcome = await ingestMailboxPage(db, {
    ...params,
    connection,
    mails: page.messages.map((message) => ({ ref: `byte ${message.offset}`, raw: message.raw })),
    cursor: { offset: nextOffset },
    finished: done,
  });
  // Another run moved the cursor or the connection was paused meanwhile: nothing was written.
  if (!outcome) return idle("active", offset);
  return { ...outcome, offset: nextOffset, state: done ? "done" : "active" };
}
