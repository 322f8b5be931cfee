import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
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
// Read when the function module loads: chunks of ten.
process.env.CAMPAIGN_CHUNK_SIZE = "10";
const { sendCampaignChunk } = await import("@/inngest/functions/campaigns/send-campaign-chunk");

const settings = { ...campaignSettings({}), chunkSize: 10, emailBatchSize: 10, emailRequestsPerSecond: 1_000 };
let database: Database;
let workspaceId: string;

beforeAll(async () => {
  vi.stubEnv("TRACKING_SECRET", "chunk-guard-secret-chunk-guard-secret");
  vi.stubEnv("GUARD_MIN_SAMPLE", "10");
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Chunk guard" }));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  delete process.env.CAMPAIGN_CHUNK_SIZE;
  await database.close();
  await recorder.stop();
});

describe("send-campaign-chunk's guard", () => {
  it("before sending a chunk, pauses a campaign whose complaint rate passed the threshold, sends nothing and announces the pause", async () => {
    const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 20, prefix: "chunkguard" });
    await deliverChunk(database.db, createProviders(database.db, {}), settings, { workspaceId, campaignId: campaign.id, chunk: 0, providerAccount: OUTBOX_ACCOUNT, baseUrl: "https://sendline.example" });
    const messages = async () => rowsOf<{ id: string }>(await database.db.execute(sql`select id from messages where campaign_id = ${campaign.id}::uuid`)).map((row) => row.id);
    const sent = await messages();
    await recordEngagement(database.db, [
      ...sent.map((messageId) => ({ messageId, type: "sent" as const, source: "send" as const, occurredAt: new Date(), dedupeKey: `sent:${messageId}` })),
      { messageId: sent[0]!, type: "complained", source: "resend", occurredAt: new Date(), dedupeKey: `complained:${sent[0]}` },
    ]);

    const { result } = await new InngestTestEngine({ function: sendCampaignChunk }).execute({
      events: [{ name: "campaign/chunk.ready", data: { workspaceId, campaignId: campaign.id, chunk: 1, providerAccount: OUTBOX_ACCOUNT } } as never],
    });
    expect(result).toMatchObject({ state: "halted", sent: 0, guardTrip: { campaignId: campaign.id, readings: [expect.objectContaining({ reason: "complaint_rate" })] } });
    expect((await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))?.status).toBe("paused");
    expect(await messages()).toHaveLength(10);
    const announced = recorder.events.filter((event) => event.name === "campaign/guard.tripped");
    expect(announced).toEqual([expect.objectContaining({ id: `campaign-guard-${(result as { guardTrip: { tripId: string } }).guardTrip.tripId}`, data: expect.objectContaining({ workspaceId, campaignId: campaign.id }) })]);
    // The words stay on the campaign; the event carries ids and numbers.
    expect(announced[0]!.data).not.toHaveProperty("reason");
  });
});
