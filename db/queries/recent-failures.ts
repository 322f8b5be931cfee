import { and, desc, eq, gte, isNotNull } from "drizzle-orm";
import type { Db } from "@/db";
import { campaigns, imports, messages } from "@/db/schema";

export type RecentFailures = {
  messages: { id: string; channel: string; recipient: string; provider: string | null; campaignId: string | null; error: string | null; failedAt: Date }[];
  imports: { id: string; fileName: string; error: string | null; failed: number; updatedAt: Date }[];
  campaigns: { id: string; name: string; statusReason: string | null; updatedAt: Date }[];
};

/**
 * A workspace's latest failures since `since`, newest first: failed messages, imports that
 * failed as a whole, and campaigns that could not finish. Messages are walked by
 * (workspace_id, queued_at), so the window bounds the scan.
 */
export async function recentFailures(db: Db, params: { workspaceId: string; since: Date; limit: number }): Promise<RecentFailures> {
  const { workspaceId, since, limit } = params;
  const [failedMessages, failedImports, failedCampaigns] = await Promise.all([
    db
      .select({
        id: messages.id,
        channel: messages.channel,
        recipient: messages.recipient,
        provider: messages.provider,
        campaignId: messages.campaignId,
        error: messages.error,
        failedAt: messages.failedAt,
      })
      .from(messages)
      .where(and(eq(messages.workspaceId, workspaceId), gte(messages.queuedAt, since), eq(messages.status, "failed"), isNotNull(messages.failedAt)))
      .orderBy(desc(messages.failedAt))
      .limit(limit),
    db
      .select({ id: imports.id, fileName: imports.fileName, error: imports.error, failed: imports.failed, updatedAt: imports.updatedAt })
      .from(imports)
      .where(and(eq(imports.workspaceId, workspaceId), eq(imports.status, "failed"), gte(imports.updatedAt, since)))
      .orderBy(desc(imports.updatedAt))
      .limit(limit),
    db
      .select({ id: campaigns.id, name: campaigns.name, statusReason: campaigns.statusReason, updatedAt: campaigns.updatedAt })
      .from(campaigns)
      .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.status, "failed"), gte(campaigns.updatedAt, since)))
      .orderBy(desc(campaigns.updatedAt))
      .limit(limit),
  ]);
  return { messages: failedMessages.map((row) => ({ ...row, failedAt: row.failedAt! })), imports: failedImports, campaigns: failedCampaigns };
}
