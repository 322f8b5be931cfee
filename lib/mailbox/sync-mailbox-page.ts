import type { Db } from "@/db";
import { getMailboxConnection, setMailboxConnectionStatus, storeMailboxCredentials } from "@/db/queries/mailbox-connections";
import { MAILBOX_PAGE_MESSAGES } from "@/core/mailbox/mailbox-limits";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { SecretBoxError } from "@/lib/security/secret-box";
import { type IngestOutcome, ingestMailboxPage, nothingIngested } from "./ingest-mailbox-page";
import { needsReseal, openMailboxCredentials, sealMailboxCredentials } from "./mailbox-credentials";
import { MailboxAuthError, type OpenMailboxSource, type SyncMode } from "./mailbox-source";

/**
 * What one sync page did. `more`: call again; `complete`: this mode has nothing left for now;
 * `raced`: another run committed first (nothing written; the next call starts from its cursor);
 * the rest are the connection's state, which stops the loop.
 */
export type SyncPageResult = IngestOutcome & {
  state: "more" | "complete" | "raced" | "paused" | "error" | "disconnected" | "reconnect" | "missing";
};

const DAY_MS = 86_400_000;

const idle = (state: SyncPageResult["state"]): SyncPageResult => ({ state, ...nothingIngested() });

/**
 * One page of a synced mailbox: opens the sealed credentials (re-sealing them under the newest
 * key if a rotation is under way), asks the source for the page after the stored position, and
 * commits it with ingestMailboxPage. Credentials the server refuses move the connection to
 * `reconnect` with the server's reason (no retry can help); credentials that no configured key
 * opens move it to `error`. Network and server faults throw, for the step's retries.
 */
export async function syncMailboxPage(
  db: Db,
  params: { workspaceId: string; connectionId: string; mode: SyncMode; pageMessages?: number; now?: Date },
  openSource: OpenMailboxSource,
): Promise<SyncPageResult> {
  const started = performance.now();
  let kind = "unknown";
  try {
    const result = await readAndCommitPage(db, params, openSource, (known) => (kind = known));
    metrics().mailboxSyncPages.inc({ kind, mode: params.mode, outcome: result.state });
    return result;
  } catch (error) {
    metrics().mailboxSyncPages.inc({ kind, mode: params.mode, outcome: "failed" });
    logger.warn({ workspaceId: params.workspaceId, connectionId: params.connectionId, kind, mode: params.mode, err: error instanceof Error ? error.message : String(error), ms: Math.round(performance.now() - started) }, "mailbox: sync page failed, to be retried");
    throw error;
  }
}

async function readAndCommitPage(
  db: Db,
  params: { workspaceId: string; connectionId: string; mode: SyncMode; pageMessages?: number; now?: Date },
  openSource: OpenMailboxSource,
  onKind: (kind: string) => void,
): Promise<SyncPageResult> {
  const ids = { workspaceId: params.workspaceId, connectionId: params.connectionId };
  const connection = await getMailboxConnection(db, ids);
  if (!connection) return idle("missing");
  onKind(connection.kind);
  if (connection.status !== "active") return idle(connection.status);
  if (params.mode === "backfill" && connection.backfilledAt) return idle("complete");

  let credentials: string;
  try {
    credentials = openMailboxCredentials(connection);
  } catch (error) {
    const reason = error instanceof SecretBoxError ? `The stored credentials cannot be opened: ${error.message}` : "The connection has no stored credentials";
    await setMailboxConnectionStatus(db, { ...ids, from: ["active"], to: "error", reason });
    return idle("error");
  }
  if (needsReseal(connection)) await storeMailboxCredentials(db, { ...ids, ...sealMailboxCredentials(connection.id, credentials) });

  const saveCredentials = async (plaintext: string) => {
    await storeMailboxCredentials(db, { ...ids, ...sealMailboxCredentials(connection.id, plaintext) });
  };
  const now = params.now ?? new Date();
  let page;
  try {
    const source = await openSource(connection, credentials, { saveCredentials });
    try {
      page = await source.nextPage({
        position: connection.cursor?.source ?? null,
        mode: params.mode,
        maxMessages: params.pageMessages ?? MAILBOX_PAGE_MESSAGES,
        since: new Date(now.getTime() - connection.historyDays * DAY_MS),
      });
    } finally {
      await source.close();
    }
  } catch (error) {
    if (!(error instanceof MailboxAuthError)) throw error;
    await setMailboxConnectionStatus(db, { ...ids, from: ["active"], to: "reconnect", reason: `The server refused the stored credentials: ${error.message}. Connect the mailbox again.` });
    logger.warn({ ...ids, kind: connection.kind, reason: error.message }, "mailbox: credentials refused, waiting for a reconnect");
    return idle("reconnect");
  }

  const outcome = await ingestMailboxPage(db, {
    ...ids,
    connection,
    mails: page.mails,
    cursor: { source: page.position },
    backfilled: params.mode === "backfill" && page.complete,
  });
  if (!outcome) return idle("raced");
  return { ...outcome, state: page.complete ? "complete" : "more" };
}
