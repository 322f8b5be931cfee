import type { Db } from "@/db";
import { countInboxMessages, inboxClock, listInboxChanges } from "@/db/queries/inbox-messages";
import type { InboxCounts } from "@/core/inbox/inbox-actions";
import type { Position } from "@/core/pagination/cursor";
import type { InboxPrincipal } from "./authorize-inbox";
import { type InboxMessageView, inboxMessageView } from "./inbox-message-view";

/**
 * How far back every poll looks again. `updated_at` is stamped when a statement runs, not when
 * it commits, so a transaction that commits late shows a change "in the past"; re-reading this
 * window catches it (each version is sent once). Writes to an inbox are single statements, so a
 * few seconds is far more than any commit takes.
 */
export const INBOX_CHANGE_LOOKBACK_MS = 5_000;
const PAGE_ROWS = 200;
const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

export type InboxPoll = { messages: InboxMessageView[]; counts: InboxCounts | null; position: Date };

/**
 * What changed in a contact's inbox since the last poll: every new or changed message once per
 * version, and the counts when they changed. The live stream polls it every second; it needs no
 * state outside itself and one index probe per poll when nothing changed, so any instance of a
 * serverless deployment can serve any stream (docs/DESIGN.md, "In-app inbox").
 */
export class InboxChangeReader {
  private since: Date;
  /** Versions already sent (id → updated_at ms) within the lookback window. */
  private readonly sent = new Map<string, number>();
  private counts: InboxCounts | null = null;

  private constructor(
    private readonly db: Db,
    private readonly principal: InboxPrincipal,
    since: Date,
  ) {
    this.since = since;
  }

  /** From `since` (a resumed stream's last event id), or from now (the database's clock, which every instance shares). */
  static async start(db: Db, principal: InboxPrincipal, since?: Date | null): Promise<InboxChangeReader> {
    return new InboxChangeReader(db, principal, since ?? (await inboxClock(db)));
  }

  /** The first poll of a fresh reader reports the counts even when nothing changed. */
  async poll(): Promise<InboxPoll> {
    const messages: InboxMessageView[] = [];
    let after: Position = { at: new Date(this.since.getTime() - INBOX_CHANGE_LOOKBACK_MS), id: ZERO_UUID };
    for (;;) {
      const rows = await listInboxChanges(this.db, { ...this.principal, after, limit: PAGE_ROWS });
      for (const row of rows) {
        const version = row.updatedAt.getTime();
        if (this.sent.get(row.id) === version) continue;
        this.sent.set(row.id, version);
        messages.push(inboxMessageView(row));
        if (row.updatedAt > this.since) this.since = row.updatedAt;
      }
      const last = rows.at(-1);
      if (rows.length < PAGE_ROWS || !last) break;
      after = { at: last.updatedAt, id: last.id };
    }
    const horizon = this.since.getTime() - INBOX_CHANGE_LOOKBACK_MS;
    for (const [id, version] of this.sent) if (version < horizon) this.sent.delete(id);

    let counts: InboxCounts | null = null;
    if (this.counts === null || messages.length > 0) {
      const fresh = await countInboxMessages(this.db, this.principal);
      if (!this.counts || fresh.unread !== this.counts.unread || fresh.unseen !== this.counts.unseen) counts = fresh;
      this.counts = fresh;
    }
    return { messages, counts, position: this.since };
  }
}
