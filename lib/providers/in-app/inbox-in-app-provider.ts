import type { Db } from "@/db";
import { getInboxMessage, insertInboxMessage } from "@/db/queries/inbox-messages";
import { ProviderError } from "@/lib/providers/errors";
import type { ProviderMessageRef, ProviderMessageStatus } from "@/lib/providers/provider-message-status";
import type { InAppMessage, InAppProvider, InAppSendResult } from "./in-app-provider";

const PREFIX = "inbox_";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const toInboxProviderId = (rowId: string) => `${PREFIX}${rowId}`;

export function fromInboxProviderId(providerMessageId: string): string | null {
  const rowId = providerMessageId.startsWith(PREFIX) ? providerMessageId.slice(PREFIX.length) : "";
  return UUID.test(rowId) ? rowId : null;
}

/**
 * Sendline's own inbox store, the in-app channel's provider: the message is delivered the
 * moment its row is written, and the contact's feed (app/api/inbox/) reads it from there. Local
 * by nature, so it is the default and the production provider alike.
 */
export class InboxInAppProvider implements InAppProvider {
  readonly name = "inbox";

  constructor(private readonly db: Db) {}

  async send(message: InAppMessage, options: { idempotencyKey: string }): Promise<InAppSendResult> {
    const { row, created } = await insertInboxMessage(this.db, {
      workspaceId: message.workspaceId,
      contactId: message.contactId,
      messageId: message.messageId,
      idempotencyKey: options.idempotencyKey,
      category: message.category ?? null,
      title: message.title,
      body: message.body,
      actionUrl: message.actionUrl,
      data: message.data,
    });
    if (!created && (row.messageId !== message.messageId || row.contactId !== message.contactId || row.workspaceId !== message.workspaceId)) {
      throw new ProviderError(`inbox: idempotency key "${options.idempotencyKey}" was already used for a different in-app message`, "permanent", {
        provider: "inbox",
        code: "invalid_idempotent_request",
      });
    }
    return { providerMessageId: toInboxProviderId(row.id), delivered: true };
  }

  async getStatus(ref: ProviderMessageRef): Promise<ProviderMessageStatus | null> {
    const id = fromInboxProviderId(ref.providerMessageId);
    if (!id) return null;
    const row = await getInboxMessage(this.db, { workspaceId: ref.workspaceId, id });
    if (!row) return null;
    return row.seenAt ? "opened" : "delivered";
  }
}
