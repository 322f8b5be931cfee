import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { sendCampaign } = await import("@/inngest/functions/campaigns/send-campaign");

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Starter" }));
});
afterAll(async () => {
  vi.useRealTimers();
  await database.close();
  await recorder.stop();
});

describe("send-campaign", () => {
  it("schedules a local-time campaign's zones when none is due yet, instead of ending as an empty campaign", async () => {
    // 06:00 UTC: 09:00 is still ahead in Paris (07:00 there) and in New York (01:00).
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date("2026-12-07T06:00:00Z"));
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 4, prefix: "zonesahead" });
    await database.db.execute(sql`update contacts set timezone = case when (substring(email from 'zonesahead(\\d+)@')::int % 2) = 0 then 'Europe/Paris' else 'America/New_York' end
      where workspace_id = ${workspaceId}::uuid and email like 'zonesahead%'`);
    const campaign = await insertCampaign(database.db, {
      workspaceId,
      name: "Morning",
      channel: "email",
      templateId,
      audience: { listId },
      status: "sending",
      startedAt: new Date(),
      localSendTime: "09:00",
    });

    const { result } = await new InngestTestEngine({ function: sendCampaign }).execute({
      events: [{ name: "campaign/send.requested", data: { workspaceId, campaignId: campaign.id } } as never],
    });
    expect(result).toMatchObject({ started: true, audience: 4, chunks: 0, laterReleases: 2 });
    const zones = recorder.events.filter((event) => event.name === "campaign/release.scheduled" && (event.data as { campaignId: string }).campaignId === campaign.id);
    expect(zones.map((event) => event.data).sort((a, b) => String(a.releaseAt).localeCompare(String(b.releaseAt)))).toEqual([
      { workspaceId, campaignId: campaign.id, zone: "Europe/Paris", releaseAt: "2026-12-07T08:00:00.000Z" },
      { workspaceId, campaignId: campaign.id, zone: "America/New_York", releaseAt: "2026-12-07T14:00:00.000Z" },
    ]);
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ status: "sending", chunkCount: 2 });
    vi.useRealTimers();
  });
});
