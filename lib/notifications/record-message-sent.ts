import type { Db } from "@/db";
import { advanceMessageStatus, type Message } from "@/db/queries/messages";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";
import { sentFact } from "@/lib/analytics/sent-fact";
import { statusFactKey } from "@/lib/webhooks/change-fact";

type SentMessage = { workspaceId: string; messageId: string; set: Parameters<typeof advanceMessageStatus>[1]["set"]; delivered?: boolean };

/**
 * Records a transactional message as sent and appends its "sent" fact in one transaction, so a
 * crash leaves neither without the other; a retried step finds the fact's key taken. A provider
 * that is itself the destination (the in-app inbox) has also delivered it.
 */
export async function recordMessageSent(db: Db, params: SentMessage): Promise<Message | undefined> {
  const [row] = await recordMessagesSent(db, [params]);
  return row;
}

/** The same for a provider call's accepted messages: one transaction, one append for all of them. */
export async function recordMessagesSent(db: Db, sent: SentMessage[]): Promise<(Message | undefined)[]> {
  if (sent.length === 0) return [];
  const at = new Date();
  return db.transaction(async (tx) => {
    const rows: (Message | undefined)[] = [];
    const facts: EngagementFact[] = [];
    for (const params of sent) {
      const ids = { workspaceId: params.workspaceId, messageId: params.messageId };
      let row = await advanceMessageStatus(tx, { ...ids, to: "sent", at, set: params.set });
      facts.push(sentFact(params.messageId, at));
      if (params.delivered) {
        row = (await advanceMessageStatus(tx, { ...ids, to: "delivered", at })) ?? row;
        facts.push({ ...sentFact(params.messageId, at), type: "delivered", source: "inbox", dedupeKey: statusFactKey("delivered", params.messageId) });
      }
      rows.push(row);
    }
    await recordEngagement(tx, facts);
    return rows;
  });
}
