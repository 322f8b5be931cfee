import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertCampaign, touchCampaignProgress } from "@/db/queries/campaigns";
import { campaigns } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
});
afterAll(() => database.close());

const progressAt = async (id: string) =>
  (await database.db.select({ at: campaigns.progressAt }).from(campaigns).where(eq(campaigns.id, id)))[0]!.at;

describe("touchCampaignProgress", () => {
  it("moves the campaign's progress mark only when the workspace owns the campaign", async () => {
    const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId: mine, size: 1, prefix: "progress" });
    const campaign = await insertCampaign(database.db, { workspaceId: mine, name: "Progress", channel: "email", templateId, audience: { listId }, status: "sending" });

    await touchCampaignProgress(database.db, { workspaceId: theirs, campaignId: campaign.id });
    expect(await progressAt(campaign.id)).toBeNull();

    await touchCampaignProgress(database.db, { workspaceId: mine, campaignId: campaign.id });
    expect(await progressAt(campaign.id)).toBeInstanceOf(Date);
  });
});
