import { InngestTestEngine } from "@inngest/test";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { startEventRecorder } from "@/test/support/event-recorder";

const recorder = await startEventRecorder();
process.env.INNGEST_DEV = recorder.url;
const { scheduleCampaign } = await import("@/inngest/functions/campaigns/schedule-campaign");

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Scheduled" }));
});
afterAll(async () => {
  await database.close();
  await recorder.stop();
});

/** A campaign scheduled a moment ago, as the schedule action leaves it. */
async function scheduled(prefix: string, body: string) {
  const audience = await seedCampaignAudience(database.db, { workspaceId, size: 2, prefix, template: { subject: "News", body } });
  return insertCampaign(database.db, {
    workspaceId,
    name: prefix,
    channel: "email",
    templateId: audience.templateId,
    audience: { listId: audience.listId },
    status: "scheduled",
    sendAt: new Date(Date.now() - 1_000),
    scheduleVersion: 1,
  });
}
const fire = (campaign: { id: string; scheduleVersion: number }) =>
  new InngestTestEngine({ function: scheduleCampaign, steps: [{ id: "wait-for-send-time", handler: () => undefined }] }).execute({
    events: [{ name: "campaign/scheduled", data: { workspaceId, campaignId: campaign.id, scheduleVersion: campaign.scheduleVersion } } as never],
  });

describe("schedule-campaign", () => {
  it("starts a campaign whose template renders for its audience", async () => {
    const campaign = await scheduled("ok", "<p>Hi {{ contact.first_name }}</p>");
    const { result } = await fire(campaign);
    expect(result).toEqual({ started: true });
    expect((await getCampaign(database.db, { workspaceId, campaignId: campaign.id }))?.status).toBe("sending");
    expect(recorder.events.filter((event) => event.name === "campaign/send.requested" && event.data.campaignId === campaign.id)).toHaveLength(1);
  });

  it("when it fires, refuses a template that no longer renders for the audience: back to draft with the variable named, nothing sent", async () => {
    const campaign = await scheduled("gone", "<p>Hi {{ contact.attributes.nickname }}</p>");
    // Every contact had the attribute when it was scheduled; one lost it since.
    await database.db.execute(sql`update contacts set attributes = '{"nickname":"N"}' where email = 'gone1@example.com'`);
    const { result } = await fire(campaign);
    expect(result).toMatchObject({ started: false, reason: expect.stringMatching(/^Not sent at its scheduled time\. The campaign cannot be sent: template variable `contact\.attributes\.nickname` is undefined in the body, line 1 for the contact gone2@example\.com/) });
    const after = await getCampaign(database.db, { workspaceId, campaignId: campaign.id });
    expect(after).toMatchObject({ status: "draft", startedAt: null, statusReason: (result as { reason: string }).reason });
    expect(recorder.events.filter((event) => event.data.campaignId === campaign.id)).toEqual([]);
  });
});
