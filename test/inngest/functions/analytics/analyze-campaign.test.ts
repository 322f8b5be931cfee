import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listCampaignAnalyses } from "@/db/queries/campaign-analyses";
import { insertCampaign } from "@/db/queries/campaigns";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { analyzeCampaign } = await import("@/inngest/functions/analytics/analyze-campaign");

let database: Database;
let workspaceId: string;
let otherWorkspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Analysed" }));
  ({ workspace: { id: otherWorkspaceId } } = await createWorkspace(database.db, { name: "Other" }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

const finish = (data: { workspaceId: string; campaignId: string }) =>
  new InngestTestEngine({ function: analyzeCampaign, steps: [{ id: "wait-for-late-events", handler: () => undefined }] }).execute({
    events: [{ name: "campaign/finished", data: { ...data, status: "sent" } } as never],
  });

describe("analyze-campaign", () => {
  it("stores the analysis when the campaign finishes and again after the settling sleep", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 0, prefix: "fn" });
    const campaign = await insertCampaign(database.db, { workspaceId, name: "Done", channel: "email", templateId, audience: { listId }, status: "sent", finishedAt: new Date() });
    const { result } = await finish({ workspaceId, campaignId: campaign.id });
    expect(result).toMatchObject({ analyzed: true, finished: { phase: "finished", baselineCampaigns: 0 }, settled: { phase: "settled" } });
    expect((await listCampaignAnalyses(database.db, { workspaceId, campaignId: campaign.id })).map((row) => row.phase)).toEqual(["settled", "finished"]);
  });

  it("analyses nothing for a campaign not in the event's workspace", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 0, prefix: "fx" });
    const campaign = await insertCampaign(database.db, { workspaceId, name: "Mine", channel: "email", templateId, audience: { listId }, status: "sent", finishedAt: new Date() });
    expect((await finish({ workspaceId: otherWorkspaceId, campaignId: campaign.id })).result).toEqual({ analyzed: false });
    expect((await finish({ workspaceId, campaignId: randomUUID() })).result).toEqual({ analyzed: false });
    expect(await listCampaignAnalyses(database.db, { workspaceId, campaignId: campaign.id })).toEqual([]);
  });
});
