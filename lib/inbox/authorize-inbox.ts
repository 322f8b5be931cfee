import type { Db } from "@/db";
import { getInboxSettings } from "@/db/queries/inbox-settings";
import { isValidInboxToken } from "./inbox-token";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type InboxPrincipal = { workspaceId: string; contactId: string };

export type InboxCredentials = { workspaceId?: string | null; contactId?: string | null; token?: string | null };

/**
 * The contact whose inbox a feed request may read, or null. Every failure is the same null
 * (a 401): a malformed id, a workspace without a secret, a token minted for another contact or
 * with another workspace's secret. Telling them apart would tell a caller which ids exist.
 */
export async function authorizeInbox(db: Db, credentials: InboxCredentials): Promise<InboxPrincipal | null> {
  const { workspaceId, contactId, token } = credentials;
  if (!workspaceId || !contactId || !token || !UUID.test(workspaceId) || !UUID.test(contactId)) return null;
  const settings = await getInboxSettings(db, { workspaceId });
  if (!settings || !isValidInboxToken(settings.signingSecret, contactId.toLowerCase(), token)) return null;
  return { workspaceId: workspaceId.toLowerCase(), contactId: contactId.toLowerCase() };
}
