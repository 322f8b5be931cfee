import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { audienceCondition } from "@/db/queries/audience-condition";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { planCampaignSend } from "@/lib/campaigns/plan-campaign-send";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;
const settings = { ...campaignSettings({}), chunkSize: 2 };

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Planner" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Neighbour" }));
});
afterAll(() => database.close());

/** A sending campaign of `size` recipients with its audience snapshotted, as send-campaign has it before planning. */
async function snapshotted(prefix: string, size: number) {
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size, prefix });
  const campaign = await insertCampaign(database.db, { workspaceId, name: prefix, channel: "email", templateId, audience: { listId }, status: "sending", startedAt: new Date() });
  const audience = await audienceCondition(database.db, campaign);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(database.db, { campaignId: campaign.id, audience, pageSize: settings.snapshotPageSize, chunkSize: settings.chunkSize });
  return campaign;
}

describe("planCampaignSend", () => {
  it("records the audience and the chunks on the campaign, and hands back the chunks to emit", async () => {
    const campaign = await snapshotted("plan", 5);
    expect(await planCampaignSend(database.db, settings, campaign)).toEqual({ ok: true, chunks: [0, 1, 2], audience: 5 });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ audienceCount: 5, chunkCount: 3 });
  });

  it("never writes to a campaign of another workspace than the one it is given (tenant isolation)", async () => {
    const campaign = await snapshotted("tenant", 3);
    await planCampaignSend(database.db, settings, { ...campaign, workspaceId: otherWorkspaceId });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ audienceCount: null, chunkCount: null });
  });
});
