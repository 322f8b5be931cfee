import type { Db } from "@/db";
import {
  findGmailConnection,
  getMailboxConnection,
  insertMailboxConnection,
  type MailboxConnection,
  setMailboxConnectionStatus,
  storeMailboxCredentials,
} from "@/db/queries/mailbox-connections";
import { sealMailboxCredentials } from "../mailbox-credentials";
import type { GmailTokens } from "./gmail-client";
import type { GmailConnectOptions } from "./gmail-oauth-state";

/**
 * Stores a consented Gmail account as a `gmail` connection, its tokens sealed to the row. The
 * same account connected again in the workspace (after a revoked token moved it to `reconnect`)
 * renews that connection's tokens and makes it active again, keeping its position: the sync
 * resumes where it stopped instead of reading the mailbox a second time.
 */
export async function connectGmailMailbox(
  db: Db,
  params: { workspaceId: string; address: string; tokens: GmailTokens; options: GmailConnectOptions },
): Promise<{ connection: MailboxConnection; reconnected: boolean }> {
  const plaintext = JSON.stringify(params.tokens);
  const existing = await findGmailConnection(db, { workspaceId: params.workspaceId, address: params.address });
  if (existing) {
    const ids = { workspaceId: params.workspaceId, connectionId: existing.id };
    await storeMailboxCredentials(db, { ...ids, ...sealMailboxCredentials(existing.id, plaintext) });
    await setMailboxConnectionStatus(db, { ...ids, from: ["reconnect", "error"], to: "active", reason: null });
    return { connection: (await getMailboxConnection(db, ids))!, reconnected: true };
  }
  const id = crypto.randomUUID();
  const connection = await insertMailboxConnection(db, {
    id,
    workspaceId: params.workspaceId,
    kind: "gmail",
    label: params.options.label ?? params.address,
    ownerAddresses: [params.address],
    storeBodies: params.options.storeBodies,
    historyDays: params.options.historyDays,
    settings: { kind: "gmail", address: params.address },
    ...sealMailboxCredentials(id, plaintext),
  });
  return { connection, reconnected: false };
}
