import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listCampaignSeals } from "@/db/queries/metric-seals";
import { auditLog, metricSeals } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";
import { engage, engagedCampaign } from "@/test/support/sealed-campaign";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "seal-fn-"));
process.env.SENDLINE_DATA_DIR = dataDir;
const { sealCampaignMetrics } = await import("@/inngest/functions/analytics/seal-campaign-metrics");
const { buildSealRoots } = await import("@/inngest/functions/analytics/build-seal-roots");

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Sealing" }));
});
afterAll(async () => {
  await database?.close();
  await recorder.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const finished = (campaignId: string, steps: ConstructorParameters<typeof InngestTestEngine>[0]["steps"] = []) =>
  new InngestTestEngine({ function: sealCampaignMetrics, steps }).execute({
    events: [{ name: "campaign/finished", data: { workspaceId, campaignId, status: "sent" } } as never],
  });

describe("seal-campaign-metrics", () => {
  it("seals when the campaign finishes and again after the late events, as two links of the chain", async () => {
    const { campaign, messageIds } = await engagedCampaign(database.db, { workspaceId, prefix: "fn" });
    const { result } = await finished(campaign.id, [
      // The 72 hours pass: a late click arrives while the run sleeps.
      { id: "wait-for-late-events", handler: async () => engage(database.db, messageIds[2]!, "clicked", { url: "https://example.com/late" }) },
    ]);
    expect(result).toMatchObject({ finished: { sequence: 1, outcome: "sealed" }, settled: { sequence: 2, outcome: "sealed" } });
    const seals = await listCampaignSeals(database.db, { workspaceId, campaignId: campaign.id });
    expect(seals.map((seal) => [seal.kind, seal.body.metrics.clicked])).toEqual([
      ["finished", 0],
      ["settled", 1],
    ]);
    expect(seals[1]!.body.prevHash).toBe(seals[0]!.hash);

    // A replay of the event seals nothing new.
    const { result: again } = await finished(campaign.id, [{ id: "wait-for-late-events", handler: () => undefined }]);
    expect(again).toMatchObject({ finished: { outcome: "existing" }, settled: { outcome: "existing" } });
    expect(await database.db.select().from(metricSeals).where(eq(metricSeals.campaignId, campaign.id))).toHaveLength(2);
  });

  it("in production without a key, fails the run without retrying and records the refusal", async () => {
    const { campaign } = await engagedCampaign(database.db, { workspaceId, prefix: "nokey" });
    const env = process.env as Record<string, string | undefined>;
    const nodeEnv = env.NODE_ENV;
    env.NODE_ENV = "production";
    try {
      const { error } = await finished(campaign.id);
      expect(error).toMatchObject({ name: "NonRetriableError", message: expect.stringMatching(/^Sealing is refused: SEAL_SIGNING_KEY is not set/) });
    } finally {
      env.NODE_ENV = nodeEnv;
    }
    expect(await database.db.select().from(auditLog).where(and(eq(auditLog.action, "campaign.seal_refused"), eq(auditLog.targetId, campaign.id)))).toHaveLength(1);
  });

  it("the daily cron builds roots for finished days only", async () => {
    const { result } = await new InngestTestEngine({ function: buildSealRoots }).execute({ events: [{ name: "inngest/scheduled.timer", data: {} } as never] });
    // Today's seals wait for the day to end.
    expect(result).toEqual([]);
  });
});
