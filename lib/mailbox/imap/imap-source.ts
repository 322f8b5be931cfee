import type { ImapFlow } from "imapflow";
import { MAILBOX_MESSAGE_MAX_BYTES } from "@/core/mailbox/mailbox-limits";
import { logger } from "@/lib/observability/logger";
import type { MailboxSource, OpenMailboxSource, SourcePage, SourcePageRequest } from "../mailbox-source";
import type { IncomingMail } from "../parse-mail-message";
import { connectImap, defaultImapFolders, type ImapSettings } from "./connect-imap";
import { uidSet } from "./uid-set";

/**
 * Where one folder's reading stands. UIDs only mean something under their UIDVALIDITY, so the
 * state is the folder's as long as that value is. `uidNext`: the first UID the incremental sync
 * has not read (UIDNEXT when the folder was first seen). `backfillBelow`: the lowest UID the
 * backfill has read; it walks down from the first UIDNEXT, newest first, so recent history arrives
 * first. `highestModseq` is kept where the server offers CONDSTORE, for a later flag sync.
 */
export type ImapFolderState = { uidValidity: string; uidNext: number; backfillBelow: number; backfillDone: boolean; highestModseq?: string };
export type ImapPosition = { folders: Record<string, ImapFolderState> };

type Box = { uidValidity: string; uidNext: number; highestModseq?: string };

/**
 * IMAP behind the MailboxSource interface, with imapflow: a connection per page, every folder
 * examined read-only and every body fetched with BODY.PEEK (never marking mail \Seen), cut at
 * MAILBOX_MESSAGE_MAX_BYTES by a partial fetch (`BODY.PEEK[]<0.N>`) so a 50 MB attachment is never
 * downloaded. A folder whose UIDVALIDITY changed is read again from scratch; what it held before
 * is already stored and ingest deduplicates by Message-ID.
 */
export const openImapSource: OpenMailboxSource = async (connection, credentials) => {
  if (connection.settings?.kind !== "imap") throw new Error(`connection ${connection.id} has no IMAP settings`);
  const settings: ImapSettings = connection.settings;
  const client = await connectImap(settings, credentials);
  // After the backfill, no backfill run comes again: a folder read again from scratch (a new
  // UIDVALIDITY, a folder added) is walked down by the incremental sync instead.
  const walkInIncremental = connection.backfilledAt !== null;
  const source: MailboxSource = {
    nextPage: (request) => readPage(client, settings, request, walkInIncremental, connection.id),
    close: async () => {
      await client.logout().catch(() => client.close());
    },
  };
  return source;
};

async function readPage(client: ImapFlow, settings: ImapSettings, request: SourcePageRequest, walkInIncremental: boolean, connectionId: string): Promise<SourcePage> {
  const folders = settings.folders.length > 0 ? settings.folders : await defaultImapFolders(client);
  const stored = (request.position as ImapPosition | null)?.folders ?? {};
  // Only the folders the connection reads now: a folder taken off the list is forgotten.
  const states: Record<string, ImapFolderState> = {};
  const mails: IncomingMail[] = [];
  let budget = request.maxMessages;
  let more = false;

  const open = async (folder: string): Promise<ImapFolderState> => {
    const box = await examine(client, folder);
    const known = states[folder] ?? stored[folder];
    if (known && known.uidValidity === box.uidValidity) return (states[folder] = { ...known, ...(box.highestModseq ? { highestModseq: box.highestModseq } : {}) });
    if (known) logger.warn({ connectionId, folder, was: known.uidValidity, now: box.uidValidity }, "mailbox: IMAP UIDVALIDITY changed, reading the folder again");
    return (states[folder] = { uidValidity: box.uidValidity, uidNext: box.uidNext, backfillBelow: box.uidNext, backfillDone: false, ...(box.highestModseq ? { highestModseq: box.highestModseq } : {}) });
  };

  if (request.mode === "incremental") {
    for (const folder of folders) {
      const known = stored[folder];
      // STATUS is cheap: a folder with nothing new under the same UIDVALIDITY is not even examined.
      const status = known ? await client.status(folder, { uidNext: true, uidValidity: true }) : false;
      if (status && known && String(status.uidValidity) === known.uidValidity && status.uidNext === known.uidNext) continue;
      if (budget === 0) {
        more = true;
        continue;
      }
      const state = await open(folder);
      const { uidNext } = await examine(client, folder);
      // `N:*` also names the highest message when N is past it; mail arriving meanwhile waits for the next page.
      const fresh = ((await client.search({ uid: `${state.uidNext}:*` }, { uid: true })) || []).filter((uid) => uid >= state.uidNext && uid < uidNext).sort((a, b) => a - b);
      const take = fresh.slice(0, budget);
      mails.push(...(await fetchMails(client, folder, take)));
      budget -= take.length;
      state.uidNext = take.length < fresh.length ? take[take.length - 1]! + 1 : uidNext;
      if (take.length < fresh.length) more = true;
    }
  }

  if (request.mode === "backfill" || walkInIncremental) {
    for (const folder of folders) {
      if ((states[folder] ?? stored[folder])?.backfillDone) continue;
      if (budget === 0) {
        more = true;
        continue;
      }
      const state = await open(folder);
      // SEARCH SINCE (INTERNALDATE) bounds the walk by the history window on the server's side; imapflow
      // sends it as WITHIN's YOUNGER <seconds> where offered (exact), as a date otherwise (whole days).
      const older = state.backfillBelow > 1 ? (await client.search({ uid: `1:${state.backfillBelow - 1}`, since: request.since }, { uid: true })) || [] : [];
      const candidates = older.filter((uid) => uid < state.backfillBelow).sort((a, b) => b - a);
      const take = candidates.slice(0, budget);
      mails.push(...(await fetchMails(client, folder, take)));
      budget -= take.length;
      if (take.length > 0) state.backfillBelow = take[take.length - 1]!;
      if (take.length === candidates.length) state.backfillDone = true;
      else more = true;
    }
  }

  for (const folder of folders) if (!states[folder] && stored[folder]) states[folder] = stored[folder];
  const position: ImapPosition = { folders: states };
  const complete = request.mode === "backfill" ? folders.every((folder) => states[folder]?.backfillDone === true) : !more;
  return { mails, position, complete };
}

async function examine(client: ImapFlow, folder: string): Promise<Box> {
  // EXAMINE (read-only): nothing this sync does can change the mailbox.
  const box = client.mailbox && client.mailbox.path === folder ? client.mailbox : await client.mailboxOpen(folder, { readOnly: true });
  return { uidValidity: String(box.uidValidity), uidNext: box.uidNext, ...(box.highestModseq ? { highestModseq: String(box.highestModseq) } : {}) };
}

async function fetchMails(client: ImapFlow, folder: string, uids: number[]): Promise<IncomingMail[]> {
  if (uids.length === 0) return [];
  const gmail = client.capabilities.has("X-GM-EXT-1");
  const fetched = await client.fetchAll(uidSet(uids), { uid: true, source: { start: 0, maxLength: MAILBOX_MESSAGE_MAX_BYTES }, labels: gmail }, { uid: true });
  return fetched.map((message) => ({
    ref: `${folder} uid ${message.uid}`,
    raw: message.source ?? Buffer.alloc(0),
    labels: [folder, ...(message.labels ? [...message.labels] : [])],
  }));
}
