import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertCampaign } from "@/db/queries/campaigns";
import { insertImport } from "@/db/queries/imports";
import { recentFailures } from "@/db/queries/recent-failures";
import { campaigns, imports, messages } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let mine: string;
let theirs: string;
const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date();

async function failedMessage(workspaceId: string, key: string, failedAt: Date, campaignId: string | null = null) {
  await database.db.insert(messages).values({ workspaceId, idempotencyKey: key, channel: "email", recipient: `${key}@example.com`, campaignId, status: "failed", error: `${key} refused`, queuedAt: failedAt, failedAt });
}

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: mine } } = await createWorkspace(database.db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(database.db, { name: "Theirs" }));
  await failedMessage(mine, "older", new Date(now.getTime() - 2 * DAY_MS));
  await failedMessage(mine, "newer", new Date(now.getTime() - DAY_MS));
  await failedMessage(mine, "ancient", new Date(now.getTime() - 30 * DAY_MS));
  await failedMessage(theirs, "theirs", new Date(now.getTime() - DAY_MS));
  await database.db.insert(messages).values({ workspaceId: mine, idempotencyKey: "fine", channel: "email", recipient: "fine@example.com", status: "sent" });

  const upload = (workspaceId: string, sha: string) => ({ workspaceId, fileKey: `k-${sha}`, fileName: `${sha}.csv`, sha256: sha.padEnd(64, "0"), bytes: 1, mappingHash: "m", chunkRows: 10 });
  const { row: broken } = await insertImport(database.db, upload(mine, "a"));
  await insertImport(database.db, upload(mine, "b"));
  const { row: theirsBroken } = await insertImport(database.db, upload(theirs, "c"));
  for (const id of [broken.id, theirsBroken.id]) await database.db.update(imports).set({ status: "failed", error: "the file is not UTF-8" }).where(eq(imports.id, id));

  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId: mine, size: 1, prefix: "spring" });
  const campaign = await insertCampaign(database.db, { workspaceId: mine, name: "Spring", channel: "email", templateId, audience: { listId }, status: "sending" });
  await database.db.update(campaigns).set({ status: "failed", statusReason: "Sending could not start: no credits" }).where(eq(campaigns.id, campaign.id));
});
afterAll(() => database.close());

describe("recentFailures", () => {
  it("lists a workspace's failed messages in the window, newest first, and nothing of another workspace", async () => {
    const failures = await recentFailures(database.db, { workspaceId: mine, since: new Date(now.getTime() - 7 * DAY_MS), limit: 10 });
    expect(failures.messages.map((message) => message.error)).toEqual(["newer refused", "older refused"]);
    expect(failures.imports).toEqual([expect.objectContaining({ fileName: "a.csv", error: "the file is not UTF-8" })]);
    expect(failures.campaigns).toEqual([expect.objectContaining({ name: "Spring", statusReason: "Sending could not start: no credits" })]);
  });

  it("stops at the limit", async () => {
    const failures = await recentFailures(database.db, { workspaceId: mine, since: new Date(now.getTime() - 7 * DAY_MS), limit: 1 });
    expect(failures.messages.map((message) => message.error)).toEqual(["newer refused"]);
  });
});
