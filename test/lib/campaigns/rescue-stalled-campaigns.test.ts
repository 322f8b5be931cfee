import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { creditBalance } from "@/db/queries/credits";
import { rowsOf } from "@/db/queries/rows-of";
import { campaignEvent } from "@/inngest/campaign-event";
import { audienceCondition } from "@/db/queries/audience-condition";
import { type CampaignSettings, campaignSettings } from "@/lib/campaigns/campaign-settings";
import { planCampaignSend } from "@/lib/campaigns/plan-campaign-send";
import { rescueStalledCampaigns } from "@/lib/campaigns/rescue-stalled-campaigns";
import { startCampaign } from "@/lib/campaigns/start-campaign";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const settings: CampaignSettings = { ...campaignSettings({}), chunkSize: 100, stuckSendingMinutes: 15 };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Watchdog" }));
});
afterAll(() => database.close());

/** A campaign of `size` recipients started and planned, as send-campaign leaves it before its fan-out. */
async function plannedCampaign(prefix: string, size: number) {
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size, prefix });
  const draft = await insertCampaign(database.db, { workspaceId, name: prefix, channel: "email", templateId, audience: { listId } });
  const campaign = (await startCampaign(database.db, draft))!;
  const audience = await audienceCondition(database.db, campaign);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(database.db, { campaignId: campaign.id, audience, pageSize: 1_000, chunkSize: settings.chunkSize });
  const plan = await planCampaignSend(database.db, settings, (await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))!);
  if (!plan.ok) throw new Error(plan.reason);
  return campaign;
}

/** Moves a campaign's last progress and its chunks' emission back by `minutes`. */
async function age(campaignId: string, minutes: number) {
  await database.db.execute(sql`update campaigns set progress_at = now() - ${minutes} * interval '1 minute' where id = ${campaignId}::uuid`);
  await database.db.execute(sql`update campaign_chunks set emitted_at = now() - ${minutes} * interval '1 minute' where campaign_id = ${campaignId}::uuid`);
}

const auditActions = async (campaignId: string) =>
  rowsOf<{ action: string }>(await database.db.execute(sql`select action from audit_log where target_id = ${campaignId} order by id`)).map((r) => r.action);

describe("the campaign watchdog", () => {
  it("re-emits only the chunks of a stalled campaign that are still pending, under new event ids", async () => {
    const campaign = await plannedCampaign("w", 250);
    // Chunk 0 was sent; chunks 1 and 2 never ran.
    await database.db.execute(sql`update campaign_recipients set status = 'sent' where campaign_id = ${campaign.id}::uuid and chunk = 0`);
    await database.db.execute(sql`update campaign_chunks set status = 'done' where campaign_id = ${campaign.id}::uuid and chunk = 0`);
    await age(campaign.id, 30);

    const sent: { name: string; id?: string; data: Record<string, unknown> }[] = [];
    const summary = await rescueStalledCampaigns(database.db, settings, async (events) => void sent.push(...events.map(campaignEvent)));
    expect(summary).toMatchObject({ reemittedChunks: 2, restarted: 0 });
    expect(sent.map((e) => [e.name, e.data.chunk, e.id])).toEqual([
      ["campaign/chunk.ready", 1, `campaign-chunk-${campaign.id}-1-2`],
      ["campaign/chunk.ready", 2, `campaign-chunk-${campaign.id}-2-2`],
    ]);
    expect(await auditActions(campaign.id)).toContain("campaign.chunks_reemitted");

    // Progress was recorded, so the next pass leaves it alone.
    sent.length = 0;
    await rescueStalledCampaigns(database.db, settings, async (events) => void sent.push(...events.map(campaignEvent)));
    expect(sent.filter((e) => e.data.campaignId === campaign.id)).toHaveLength(0);
  });

  it("finalizes a stalled campaign whose chunks are all done and gives back unused credits", async () => {
    const before = await creditBalance(database.db, { workspaceId });
    const campaign = await plannedCampaign("f", 120);
    expect(await creditBalance(database.db, { workspaceId })).toBe(before - 120);
    await database.db.execute(sql`update campaign_recipients set status = case when contact_id = (select contact_id from campaign_recipients where campaign_id = ${campaign.id}::uuid order by contact_id limit 1) then 'failed' else 'sent' end::campaign_recipient_status where campaign_id = ${campaign.id}::uuid`);
    await database.db.execute(sql`update campaign_chunks set status = 'done' where campaign_id = ${campaign.id}::uuid`);
    await age(campaign.id, 30);

    const sent: { name: string; id?: string; data: Record<string, unknown> }[] = [];
    const summary = await rescueStalledCampaigns(database.db, settings, async (events) => void sent.push(...events.map(campaignEvent)));
    expect(summary.finalized).toBeGreaterThanOrEqual(1);
    expect((await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))!.status).toBe("sent");
    // The end is announced, once per campaign whichever path ended it.
    expect(sent.filter((e) => e.data.campaignId === campaign.id).map((e) => [e.name, e.id, e.data.status])).toEqual([
      ["campaign/finished", `campaign-finished-${campaign.id}`, "sent"],
    ]);
    // 119 sent use 119 credits; the failed one's credit came back.
    expect(await creditBalance(database.db, { workspaceId })).toBe(before - 119);
  });

  it("restarts a campaign whose start never got past the snapshot", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 2, prefix: "n" });
    const draft = await insertCampaign(database.db, { workspaceId, name: "lost", channel: "email", templateId, audience: { listId } });
    const campaign = (await startCampaign(database.db, draft))!;
    await age(campaign.id, 30);
    const sent: { name: string; data: Record<string, unknown> }[] = [];
    const summary = await rescueStalledCampaigns(database.db, settings, async (events) => void sent.push(...events.map(campaignEvent)));
    expect(summary.restarted).toBe(1);
    expect(sent).toEqual([expect.objectContaining({ name: "campaign/send.requested", data: { workspaceId, campaignId: campaign.id } })]);
  });

  it("releases the reservation of a campaign that ended without releasing it", async () => {
    const before = await creditBalance(database.db, { workspaceId });
    const campaign = await plannedCampaign("c", 50);
    await database.db.execute(sql`update campaigns set status = 'cancelled' where id = ${campaign.id}::uuid`);
    const summary = await rescueStalledCampaigns(database.db, settings, async () => {});
    expect(summary.releasedReservations).toBeGreaterThanOrEqual(1);
    expect(await creditBalance(database.db, { workspaceId })).toBe(before);
    expect(await auditActions(campaign.id)).toContain("credits.released");
  });
});
