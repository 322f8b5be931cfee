import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignZoneSchedule, listPendingChunks, snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { sql } from "drizzle-orm";
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
async function snapshotted(prefix: string, size: number, options: { localSendTime?: string; sendAt?: Date; zones?: (string | null)[] } = {}) {
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size, prefix });
  // Contact n (1-based) gets zones[(n - 1) % zones.length].
  if (options.zones) {
    for (const [index, zone] of options.zones.entries()) {
      await database.db.execute(sql`update contacts set timezone = ${zone} where workspace_id = ${workspaceId}::uuid and email like ${`${prefix}%@example.com`}
        and (substring(email from ${`${prefix}(\\d+)@`})::int - 1) % ${options.zones.length} = ${index}`);
    }
  }
  const campaign = await insertCampaign(database.db, {
    workspaceId,
    name: prefix,
    channel: "email",
    templateId,
    audience: { listId },
    status: "sending",
    startedAt: new Date(),
    sendAt: options.sendAt ?? null,
    localSendTime: options.localSendTime ?? null,
  });
  const audience = await audienceCondition(database.db, campaign);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(database.db, { campaignId: campaign.id, audience, pageSize: settings.snapshotPageSize, chunkSize: settings.chunkSize });
  return campaign;
}

describe("planCampaignSend", () => {
  it("records the audience and the chunks on the campaign, and hands back the chunks to emit", async () => {
    const campaign = await snapshotted("plan", 5);
    expect(await planCampaignSend(database.db, settings, campaign)).toEqual({ ok: true, chunks: [0, 1, 2], audience: 5, laterReleases: [], abWinnerDue: null });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ audienceCount: 5, chunkCount: 3 });
  });

  it("never writes to a campaign of another workspace than the one it is given (tenant isolation)", async () => {
    const campaign = await snapshotted("tenant", 3);
    await planCampaignSend(database.db, settings, { ...campaign, workspaceId: otherWorkspaceId });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ audienceCount: null, chunkCount: null });
  });

  it("cuts a local-time campaign zone by zone, hands back the zones already due and one release per zone still ahead", async () => {
    // 10:00 UTC: 09:00 has passed in Paris (10:00 → 11:00 local) but not in New York (05:00) or in
    // the workspace's zone (UTC, for contacts with no or an unknown zone: it is 10:00 there too).
    const sendAt = new Date("2026-12-07T10:00:00Z");
    const campaign = await snapshotted("zoned", 7, { localSendTime: "09:00", sendAt, zones: ["Europe/Paris", "America/New_York", null, "Not/AZone"] });
    const plan = await planCampaignSend(database.db, settings, campaign, new Date("2026-12-07T10:30:00Z"));
    const zones = await campaignZoneSchedule(database.db, { campaignId: campaign.id });
    expect(zones.map(({ zone, releaseAt, recipients, chunks }) => ({ zone, releaseAt: releaseAt.toISOString(), recipients, chunks }))).toEqual([
      { zone: "America/New_York", releaseAt: "2026-12-07T14:00:00.000Z", recipients: 2, chunks: 1 },
      { zone: "Europe/Paris", releaseAt: "2026-12-08T08:00:00.000Z", recipients: 2, chunks: 1 },
      { zone: "UTC", releaseAt: "2026-12-08T09:00:00.000Z", recipients: 3, chunks: 2 },
    ]);
    // Nothing is due yet: no chunk to emit now, one release per zone.
    expect(plan).toMatchObject({ ok: true, chunks: [], audience: 7 });
    expect(plan.ok && plan.laterReleases.map((event) => [event.kind, event.data.zone, event.data.releaseAt])).toEqual([
      ["release-scheduled", "America/New_York", "2026-12-07T14:00:00.000Z"],
      ["release-scheduled", "Europe/Paris", "2026-12-08T08:00:00.000Z"],
      ["release-scheduled", "UTC", "2026-12-08T09:00:00.000Z"],
    ]);
    // A chunk becomes pending for emitting only from its zone's instant on.
    const nyChunk = await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: new Date("2026-12-07T14:00:00Z") });
    expect(nyChunk).toHaveLength(1);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: new Date("2026-12-07T13:59:59Z") })).toEqual([]);
    // Planning again (a retried step) changes nothing.
    const again = await planCampaignSend(database.db, settings, campaign, new Date("2026-12-07T10:31:00Z"));
    expect(again.ok && again.laterReleases.map((event) => event.id)).toEqual(plan.ok && plan.laterReleases.map((event) => event.id));
    expect(await campaignZoneSchedule(database.db, { campaignId: campaign.id })).toHaveLength(3);
  });
});
