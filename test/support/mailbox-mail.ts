import { randomUUID } from "node:crypto";
import type { Db } from "@/db";
import { mailboxMessages } from "@/db/schema";

/** One stored message, as briefly as a relationship test needs it: `from` the owner makes it `sent`. */
export type Mail = { thread: string; from: string; to?: string[]; at: string | null; subject?: string; snippet?: string; body?: string; automated?: boolean };

/**
 * Stores messages straight into `mailbox_messages` (the import pipeline has its own specs): To
 * defaults to the owner, or to `defaultTo` for the owner's own messages; the subject to the
 * thread's name.
 */
export async function insertMail(db: Db, params: { workspaceId: string; owner: string; defaultTo: string; mail: readonly Mail[] }): Promise<void> {
  if (params.mail.length === 0) return;
  await db.insert(mailboxMessages).values(
    params.mail.map((m) => {
      const to = m.to ?? [m.from === params.owner ? params.defaultTo : params.owner];
      return {
        workspaceId: params.workspaceId,
        messageId: `${randomUUID()}@test`,
        threadId: m.thread,
        fromAddress: { name: null, address: m.from },
        toAddresses: to.map((address) => ({ name: null, address })),
        participants: [...new Set([m.from, ...to])],
        sentAt: m.at ? new Date(m.at) : null,
        subject: m.subject ?? m.thread,
        snippet: m.snippet ?? null,
        body: m.body ?? null,
        direction: m.from === params.owner ? ("sent" as const) : ("received" as const),
        automated: m.automated ?? false,
        automatedReason: m.automated ? "list-unsubscribe" : null,
      };
    }),
  );
}
