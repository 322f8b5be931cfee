import type { Db } from "@/db";
import { ensureInboxSettings } from "@/db/queries/inbox-settings";
import { newInboxSecret } from "./inbox-token";

/** The workspace's inbox signing secret, created on first use. */
export async function inboxSecretOf(db: Db, workspaceId: string): Promise<{ secret: string; createdAt: Date; rotatedAt: Date | null }> {
  const settings = await ensureInboxSettings(db, { workspaceId, newSecret: newInboxSecret() });
  return { secret: settings.signingSecret, createdAt: settings.createdAt, rotatedAt: settings.rotatedAt };
}
