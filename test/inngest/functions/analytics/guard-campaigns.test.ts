import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listUnannouncedGuardTrips } from "@/db/queries/campaign-guard-trips";
import { getCampaign } from "@/db/queries/campaigns";
import { rowsOf } from "@/db/queries/rows-of";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { deliverChunk } from "@/lib/campaigns/deliver-chunk";
import { createProviders } from "@/lib/providers/create-providers";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { OUTBOX_ACCOUNT, plannedCampaign } from "@/test/support/planned-campaign";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { guardCampaigns } = await import("@/inngest/functions/analytics/guard-campaigns");

const settings = { ...campaignSettings({}), chunkSize: 10, emailBatchSize: 10, emailRequestsPerSecond: 1_000 };
let database: Database;
let workspaceId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "guard-cron-secret-guard-cron-secret");
  vi.stubEnv("GUARD_MIN_SAMPLE", "10");
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Cron guarded" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database.close();
  await recorder.stop();
});

const tick = () => new InngestTestEngine({ function: guardCampaigns }).execute({ events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } } as never] });

describe("guard-campaigns", () => {
  it("pauses a sending campaign past the complaint threshold, announces campaign/guard.tripped once, and then finds nothing to do", async () => {
    const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 20, prefix: "cron" });
    await deliverChunk(database.db, createProviders(database.db, {}), settings, { workspaceId, campaignId: campaign.id, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
    const ids = rowsOf<{ id: string }>(await database.db.execute(sql`select id from messages where campaign_id = ${campaign.id}::uuid`)).map((row) => row.id);
    await recordEngagement(database.db, [
      ...ids.map((messageId) => ({ messageId, type: "sent" as const, source: "send" as const, occurredAt: new Date(), dedupeKey: `sent:${messageId}` })),
      { messageId: ids[0]!, type: "complained", source: "resend", occurredAt: new Date(), dedupeKey: `complained:${ids[0]}` },
    ]);

    const { result } = await tick();
    expect(result).toMatchObject({ paused: 1, announced: 1 });
    expect(await getCampaign(database.db, { workspaceId, campaignId: campaign.id })).toMatchObject({ status: "paused", statusReason: expect.stringMatching(/^Paused automatically: complaint rate 10\.0 %/) });
    const announced = recorder.events.filter((event) => event.name === "campaign/guard.tripped" && event.data.campaignId === campaign.id);
    expect(announced).toEqual([expect.objectContaining({ data: expect.objectContaining({ workspaceId, readings: [expect.objectContaining({ reason: "complaint_rate", count: 1, of: 10 })] }) })]);
    expect(announced[0]!.id).toBe(`campaign-guard-${announced[0]!.data.tripId}`);
    expect(await listUnannouncedGuardTrips(database.db, { limit: 10 })).toEqual([]);

    expect((await tick()).result).toMatchObject({ paused: 0, announced: 0 });
    expect(recorder.events.filter((event) => event.name === "campaign/guard.tripped" && event.data.campaignId === campaign.id)).toHaveLength(1);
  });
});
