import type { Db } from "@/db";
import { listInboxActionTargets } from "@/db/queries/inbox-messages";
import type { InboxAction } from "@/core/inbox/inbox-actions";
import type { InboxPrincipal } from "./authorize-inbox";

/** The data of an `inbox/message.seen` event; the app sends it (lib never sends events). */
export type InboxSeen = { workspaceId: string; messageId: string; contactId: string };

export type InboxActionPlan = { ids: readonly string[] | undefined; seen: InboxSeen[] };

/**
 * What a seen or read will change, before it is written: the caller announces `seen` (each
 * event's id derived from its message, so a repeat is a no-op at Inngest) and only then applies
 * the action to exactly `ids`. Announce first, write second: a failed send writes nothing and the
 * contact's client retries; a message is never marked seen without its event having gone out.
 * Other actions announce nothing and apply as asked.
 */
export async function planInboxAction(db: Db, principal: InboxPrincipal, params: { action: InboxAction; ids?: readonly string[] }): Promise<InboxActionPlan> {
  if (params.action !== "seen" && params.action !== "read") return { ids: params.ids, seen: [] };
  const targets = await listInboxActionTargets(db, { ...principal, ...params });
  return {
    ids: targets.map((target) => target.id),
    seen: targets.filter((target) => target.seenAt === null).map((target) => ({ ...principal, messageId: target.messageId })),
  };
}
