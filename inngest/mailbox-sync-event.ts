import type { SyncMode } from "@/lib/mailbox/mailbox-source";
import { mailboxSyncRequested } from "./events";

/**
 * The `mailbox/sync.requested` event for one connection and mode. `key` says which occasion it
 * is (the connection's creation, a 15-minute slot, a stalled cursor position, a hand-over from a
 * run), so a repeated send for the same occasion has the same id and starts nothing twice.
 */
export function mailboxSyncEvent(ids: { workspaceId: string; connectionId: string }, mode: SyncMode, key: string) {
  return mailboxSyncRequested.create({ workspaceId: ids.workspaceId, connectionId: ids.connectionId, mode }, { id: `mailbox-${mode}-${ids.connectionId}-${key}` });
}

/**
 * What starts a connection syncing on an occasion (connected, resumed, reconnected): the new
 * mail first, and the history too while its backfill is not done.
 */
export function mailboxStartEvents(ids: { workspaceId: string; connectionId: string }, occasion: { key: string; backfilled: boolean }) {
  return [mailboxSyncEvent(ids, "incremental", occasion.key), ...(occasion.backfilled ? [] : [mailboxSyncEvent(ids, "backfill", occasion.key)])];
}
