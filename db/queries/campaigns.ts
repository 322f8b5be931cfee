import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { campaigns } from "@/db/schema";
import type { Position } from "@/core/pagination/cursor";
import { before } from "./keyset";
import { stalledWork } from "./stalled-work";

export type Campaign = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;
export type CampaignStatus = Campaign["status"];

export async function insertCampaign(db: Db, values: NewCampaign): Promise<Campaign> {
  const [row] = await db.insert(campaigns).values(values).returning();
  return row!;
}

export async function getCampaign(db: Db, params: { workspaceId: string; campaignId: string }): Promise<Campaign | undefined> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId)));
  return row;
}

/** Newest first, keyset-paginated on (created_at, id). */
/** Several campaigns of one workspace by id (the archives list names its campaigns); missing ids are simply absent. */
export async function listCampaignsByIds(db: Db, params: { workspaceId: string; campaignIds: string[] }): Promise<Campaign[]> {
  if (params.campaignIds.length === 0) return [];
  return db.select().from(campaigns).where(and(eq(campaigns.workspaceId, params.workspaceId), inArray(campaigns.id, params.campaignIds)));
}

export async function listCampaigns(
  db: Db,
  params: { workspaceId: string; status?: CampaignStatus; limit: number; after?: Position },
): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.workspaceId, params.workspaceId),
        params.status ? eq(campaigns.status, params.status) : undefined,
        before(campaigns.createdAt, campaigns.id, params.after),
      ),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(params.limit);
}

type CampaignChanges = Partial<
  Pick<
    NewCampaign,
    "sendAt" | "statusReason" | "providerAccount" | "audienceCount" | "chunkCount" | "progressAt" | "startedAt" | "finishedAt" | "scheduleVersion"
  >
>;

/**
 * Moves a campaign from one of `from` to `to` in one conditional UPDATE: of two concurrent
 * callers (a double-clicked "send", a replayed run) exactly one gets the row back, and the other
 * gets undefined and must not act. This is what keeps a campaign from ever being sent twice.
 */
export async function transitionCampaign(
  db: Db,
  params: { workspaceId: string; campaignId: string; from: readonly CampaignStatus[]; to: CampaignStatus; set?: CampaignChanges; bumpSchedule?: boolean },
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({
      ...params.set,
      status: params.to,
      updatedAt: sql`now()`,
      ...(params.bumpSchedule ? { scheduleVersion: sql`${campaigns.scheduleVersion} + 1` } : {}),
    })
    .where(
      and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId), inArray(campaigns.status, [...params.from])),
    )
    .returning();
  return row;
}

/** Records a planned send on the campaign: its audience and chunk counts; no reason is left standing. */
export async function recordCampaignPlan(
  db: Db,
  params: { workspaceId: string; campaignId: string; audienceCount: number; chunkCount: number },
): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ audienceCount: params.audienceCount, chunkCount: params.chunkCount, progressAt: sql`now()`, statusReason: null })
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId)))
    .returning({ id: campaigns.id });
  return rows.length > 0;
}

/** Records that sending moved forward (the watchdog measures stalls from here). */
export async function touchCampaignProgress(db: Db, params: { workspaceId: string; campaignId: string }): Promise<void> {
  await db
    .update(campaigns)
    .set({ progressAt: sql`now()` })
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId)));
}

/** Sending campaigns whose last progress is older than `stalledBefore` (or that never made any). */
export async function listStalledCampaigns(db: Db, params: { stalledBefore: Date; limit: number }): Promise<Campaign[]> {
  const progressAt = sql`coalesce(${campaigns.progressAt}, ${campaigns.startedAt}, ${campaigns.updatedAt})`;
  return db
    .select()
    .from(campaigns)
    .where(stalledWork({ status: campaigns.status, working: ["sending"], progressAt, stalledBefore: params.stalledBefore }))
    .orderBy(campaigns.progressAt)
    .limit(params.limit);
}

/**
 * Sets or clears a campaign's local send time while it has not started (draft or scheduled: the
 * send reads it when it starts). Undefined when the campaign is not this workspace's or has started.
 */
export async function setCampaignLocalSendTime(
  db: Db,
  params: { workspaceId: string; campaignId: string; localSendTime: string | null },
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({ localSendTime: params.localSendTime, updatedAt: sql`now()` })
    .where(and(eq(campaigns.workspaceId, params.workspaceId), eq(campaigns.id, params.campaignId), inArray(campaigns.status, ["draft", "scheduled"])))
    .returning();
  return row;
}
