import { z } from "zod";
import { logger } from "@/lib/observability/logger";
import { MailboxAuthError, type MailboxSource, type OpenMailboxSource, type SourcePage, type SourcePageRequest } from "../mailbox-source";
import type { IncomingMail } from "../parse-mail-message";
import { gmailApi, gmailOAuthClient, type GmailTokens } from "./gmail-client";
import { gmailConfig } from "./gmail-config";
import { gmailFailure, gmailStatus } from "./gmail-failure";
import { type GmailCall, GMAIL_IGNORED_LABELS, readGmailMessage } from "./gmail-message";

/** messages.list and history.list return at most 500 entries a page. */
const GMAIL_LIST_MAX_RESULTS = 500;
/**
 * messages.get in flight at once. Gmail allows a user 250 quota units a second and a get costs
 * 5: ten calls of ~100–200 ms each stay under that.
 */
const GMAIL_FETCH_CONCURRENCY = 10;
/** A resync after lost history reads back this far before the last sync: clocks and delivery delays. */
const GMAIL_RESYNC_OVERLAP_MS = 86_400_000;

/** A walk through `messages.list` for `after:<after>`: the next page's token and the ids of the current page not yet fetched. */
const listingSchema = z.object({ after: z.number().int(), pageToken: z.string().nullable(), pending: z.array(z.string()), listed: z.boolean() });
/**
 * The connection's position in its Gmail mailbox (`cursor.source`).
 * - `historyId`: where the incremental sync reads history from; recorded before the backfill's
 *   first list, so mail that arrives while history is read is never missed.
 * - `backfill`: the history window's listing, newest first.
 * - `history`: a history.list run under way: its page token, the added ids not yet fetched, and
 *   the mailbox's history id when the run began (the next start, once the run is read).
 * - `resync`: a listing since shortly before the last sync, after Gmail no longer had our
 *   history id; stored messages are known by Message-ID, so what it reads again is not stored twice.
 */
const positionSchema = z.object({
  historyId: z.string(),
  backfill: listingSchema.optional(),
  resync: listingSchema.optional(),
  history: z.object({ pageToken: z.string().nullable(), pending: z.array(z.string()), nextHistoryId: z.string() }).optional(),
});
export type GmailPosition = z.infer<typeof positionSchema>;
type Listing = z.infer<typeof listingSchema>;

const tokensSchema = z.object({ refresh_token: z.string().min(1), access_token: z.string().nullable().optional(), expiry_date: z.number().nullable().optional() });

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
const listSize = (maxMessages: number) => Math.min(GMAIL_LIST_MAX_RESULTS, Math.max(1, maxMessages));

/**
 * A Gmail mailbox through the official client (@googleapis/gmail): a backfill lists the history
 * window newest first (`q=after:`), an incremental sync reads `history.list` from the stored
 * history id, and both fetch each message whole (`format=raw`). The stored tokens go to the
 * library's OAuth2 client, which refreshes an expiring access token; a refreshed token is sealed
 * and stored at once (`saveCredentials`). A 401 gets one refresh and one more try; a refused
 * refresh or a second 401 is a MailboxAuthError, and the connection waits for a reconnect.
 */
export const openGmailSource: OpenMailboxSource = async (connection, credentials, context) => {
  const config = gmailConfig();
  const stored = tokensSchema.safeParse(safeJson(credentials));
  if (!stored.success) throw new MailboxAuthError("the stored Gmail credentials hold no refresh token");
  let tokens: GmailTokens = { refresh_token: stored.data.refresh_token, access_token: stored.data.access_token ?? null, expiry_date: stored.data.expiry_date ?? null };
  const client = gmailOAuthClient(config, tokens);
  const api = gmailApi(config, client);
  const ids = { workspaceId: connection.workspaceId, connectionId: connection.id };

  let refreshed = false;
  let refreshing: Promise<unknown> | null = null;
  const saves: Promise<void>[] = [];
  client.on("tokens", (renewed) => {
    refreshed = true;
    tokens = { refresh_token: renewed.refresh_token ?? tokens.refresh_token, access_token: renewed.access_token ?? null, expiry_date: renewed.expiry_date ?? null };
    const save = context.saveCredentials(JSON.stringify(tokens));
    // Awaited before the page is returned; this only keeps Node from calling it unhandled meanwhile.
    save.catch(() => undefined);
    saves.push(save);
    logger.info({ ...ids }, "mailbox: gmail access token refreshed");
  });

  const call: GmailCall = async (what, fn) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const status = gmailStatus(error);
        if (status === 404) return null;
        // An access token Google no longer takes (expired early, or its clock and ours disagree):
        // one refresh for the whole page (concurrent calls share it), then one more try.
        if (status === 401 && attempt === 0 && (!refreshed || refreshing)) {
          try {
            await (refreshing ??= client.refreshAccessToken());
          } catch (refreshError) {
            throw gmailFailure(refreshError, "token refresh");
          }
          continue;
        }
        throw gmailFailure(error, what);
      }
    }
  };

  async function profileHistoryId(): Promise<string> {
    const profile = await call("users.getProfile", () => api.users.getProfile({ userId: "me" }));
    if (!profile?.data.historyId) throw new Error("gmail: users.getProfile gave no history id");
    return profile.data.historyId;
  }

  async function fetchAll(messageIds: readonly string[]): Promise<IncomingMail[]> {
    const mails: (IncomingMail | null)[] = new Array(messageIds.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < messageIds.length) {
        const index = next++;
        mails[index] = await readGmailMessage(api, messageIds[index]!, call);
      }
    };
    await Promise.all(Array.from({ length: Math.min(GMAIL_FETCH_CONCURRENCY, messageIds.length) }, worker));
    return mails.filter((mail): mail is IncomingMail => mail !== null);
  }

  /** The next ids of a listing (a list page is fetched when the current one is used up); `done` once the listing is read. */
  async function stepListing(listing: Listing, maxMessages: number): Promise<{ take: string[]; listing: Listing; done: boolean }> {
    let next = listing;
    if (next.pending.length === 0 && !next.listed) {
      const page = await call("messages.list", () =>
        api.users.messages.list({ userId: "me", q: `after:${next.after}`, pageToken: next.pageToken ?? undefined, maxResults: listSize(maxMessages) }),
      );
      if (!page) throw new Error("gmail: messages.list answered 404");
      const listed = (page.data.messages ?? []).flatMap((message) => (message.id ? [message.id] : []));
      next = { ...next, pending: listed, pageToken: page.data.nextPageToken ?? null, listed: !page.data.nextPageToken };
    }
    const take = next.pending.slice(0, maxMessages);
    next = { ...next, pending: next.pending.slice(take.length) };
    return { take, listing: next, done: next.pending.length === 0 && next.listed };
  }

  async function backfill(position: GmailPosition | null, request: SourcePageRequest): Promise<SourcePage> {
    const start = position ?? { historyId: await profileHistoryId() };
    const step = await stepListing(start.backfill ?? { after: epochSeconds(request.since), pageToken: null, pending: [], listed: false }, request.maxMessages);
    return { mails: await fetchAll(step.take), position: { ...start, backfill: step.listing }, complete: step.done };
  }

  async function incremental(position: GmailPosition | null, request: SourcePageRequest): Promise<SourcePage> {
    // Never synced: from now on. What came before is the backfill's.
    if (!position) return { mails: [], position: { historyId: await profileHistoryId() }, complete: true };
    if (position.resync) {
      const step = await stepListing(position.resync, request.maxMessages);
      const { resync: _done, ...rest } = position;
      return { mails: await fetchAll(step.take), position: step.done ? rest : { ...position, resync: step.listing }, complete: step.done };
    }

    let run = position.history;
    if (!run || (run.pending.length === 0 && run.pageToken !== null)) {
      const page = await call("history.list", () =>
        api.users.history.list({ userId: "me", startHistoryId: position.historyId, historyTypes: ["messageAdded"], pageToken: run?.pageToken ?? undefined, maxResults: listSize(request.maxMessages) }),
      );
      if (!page) return resync(position, request);
      const added = (page.data.history ?? [])
        .flatMap((record) => record.messagesAdded ?? [])
        .filter(({ message }) => message?.id && !(message.labelIds ?? []).some((label) => GMAIL_IGNORED_LABELS.has(label)))
        .map(({ message }) => message!.id!);
      const pending = [...new Set([...(run?.pending ?? []), ...added])];
      // The next start is the mailbox's history id when this run began: records added while its
      // pages are read come again next time (and are known by Message-ID) rather than being skipped.
      run = { pageToken: page.data.nextPageToken ?? null, pending, nextHistoryId: run?.nextHistoryId ?? page.data.historyId ?? position.historyId };
    }
    const take = run.pending.slice(0, request.maxMessages);
    run = { ...run, pending: run.pending.slice(take.length) };
    const mails = await fetchAll(take);
    const { history: _run, ...rest } = position;
    if (run.pending.length === 0 && run.pageToken === null) return { mails, position: { ...rest, historyId: run.nextHistoryId }, complete: true };
    return { mails, position: { ...position, history: run }, complete: false };
  }

  /**
   * Gmail keeps history for about a week (sometimes less): past that, history.list answers 404
   * for our start. Start again from the mailbox's current history id, and list what arrived since
   * shortly before the last sync (within the window); the incremental pages walk that listing
   * before they read history again.
   */
  async function resync(position: GmailPosition, request: SourcePageRequest): Promise<SourcePage> {
    const historyId = await profileHistoryId();
    const lastSynced = connection.lastSyncedAt ? connection.lastSyncedAt.getTime() - GMAIL_RESYNC_OVERLAP_MS : request.since.getTime();
    const after = epochSeconds(new Date(Math.max(request.since.getTime(), lastSynced)));
    logger.warn({ ...ids, staleHistoryId: position.historyId, historyId, after }, "mailbox: gmail history id too old, resyncing from the last sync");
    const { history: _lost, ...rest } = position;
    return incremental({ ...rest, historyId, resync: { after, pageToken: null, pending: [], listed: false } }, request);
  }

  return {
    async nextPage(request) {
      const parsed = positionSchema.safeParse(request.position);
      const position = request.position && parsed.success ? parsed.data : null;
      const page = request.mode === "backfill" ? await backfill(position, request) : await incremental(position, request);
      // A refreshed token is stored before the page is: a failure here fails the page, which is retried.
      await Promise.all(saves);
      return page;
    },
    async close() {
      await Promise.allSettled(saves);
    },
  } satisfies MailboxSource;
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
