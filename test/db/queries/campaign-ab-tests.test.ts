import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { abVariantCounts, cutChunksForAbTest, recordAbWinner, moveHeldChunks } from "@/db/queries/campaign-ab-tests";
import { listPendingChunks, snapshotAudiencePage } from "@/db/queries/campaign-recipients";
import { getCampaign, insertCampaign } from "@/db/queries/campaigns";
import { audienceCondition } from "@/db/queries/audience-condition";
import { campaignRecipients, contactEvents, engagementEvents } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const startedAt = new Date("2026-12-07T09:00:00Z");
const windowEnd = new Date("2026-12-07T13:00:00Z");

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "A/B" }));
});
afterAll(() => database.close());

/** A sending A/B campaign of `size` recipients, snapshotted in chunks of `chunkSize` as send-campaign leaves it. */
async function snapshotted(prefix: string, size: number, chunkSize: number) {
  const { listId, templateId } = await seedCampaignAudience(database.db, { workspaceId, size, prefix });
  const campaign = await insertCampaign(database.db, {
    workspaceId,
    name: prefix,
    channel: "email",
    templateId,
    audience: { listId },
    status: "sending",
    startedAt,
    abTest: { variants: [{ subject: "A" }, { subject: "B" }, { subject: "C" }], testPercent: 30, windowMinutes: 240, metric: "opens" },
  });
  const audience = await audienceCondition(database.db, campaign);
  if ("error" in audience) throw new Error(audience.error);
  await snapshotAudiencePage(database.db, { campaignId: campaign.id, audience, pageSize: 1_000, chunkSize });
  return campaign;
}

const recipients = (campaignId: string) =>
  database.db
    .select({ contactId: campaignRecipients.contactId, variant: campaignRecipients.variant, chunk: campaignRecipients.chunk })
    .from(campaignRecipients)
    .where(sql`${campaignRecipients.campaignId} = ${campaignId}::uuid`)
    .orderBy(campaignRecipients.contactId);

/** Every variant sent at once: a test of content or sender. */
const none = (variants: number) => Array.from({ length: variants }, () => null);

describe("cutChunksForAbTest", () => {
  it("deals the sample evenly among the variants into its own chunks, and holds the rest's chunks until the window ends", async () => {
    const campaign = await snapshotted("split", 20, 4);
    expect(await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 4, sendAt: none(3), sampleSize: 7, holdUntil: windowEnd })).toBe(6);
    const rows = await recipients(campaign.id);
    const sizes = [0, 1, 2].map((v) => rows.filter((r) => r.variant === v).length);
    expect(sizes).toEqual([3, 2, 2]);
    expect(rows.filter((r) => r.variant === null)).toHaveLength(13);
    // The sample's 7 fill chunks 0–1; the rest's 13 chunks 2–5, none of them mixed.
    expect(new Set(rows.filter((r) => r.variant !== null).map((r) => r.chunk))).toEqual(new Set([0, 1]));
    expect(new Set(rows.filter((r) => r.variant === null).map((r) => r.chunk))).toEqual(new Set([2, 3, 4, 5]));
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: startedAt })).toEqual([0, 1]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: windowEnd })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("cuts a send-time test's sample into chunks per send time, each released at its variant's time", async () => {
    const campaign = await snapshotted("send-time", 20, 4);
    const later = new Date(startedAt.getTime() + 3 * 3_600_000);
    // A at once; B and C three hours on, so they share chunks: A's 3 fill chunk 0, B's and C's 4 chunk 1.
    expect(await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 4, sendAt: [null, later, later], sampleSize: 7, holdUntil: windowEnd })).toBe(6);
    const rows = await recipients(campaign.id);
    expect([0, 1, 2].map((v) => rows.filter((r) => r.variant === v).length)).toEqual([3, 2, 2]);
    expect(new Set(rows.filter((r) => r.variant === 0).map((r) => r.chunk))).toEqual(new Set([0]));
    expect(new Set(rows.filter((r) => r.variant === 1 || r.variant === 2).map((r) => r.chunk))).toEqual(new Set([1]));
    expect(new Set(rows.filter((r) => r.variant === null).map((r) => r.chunk))).toEqual(new Set([2, 3, 4, 5]));
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: startedAt })).toEqual([0]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: later })).toEqual([0, 1]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: later, releasedAt: later })).toEqual([1]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: windowEnd })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("is done once: a retry changes no recipient's variant or chunk", async () => {
    const campaign = await snapshotted("retry", 12, 5);
    const params = { campaignId: campaign.id, chunkSize: 5, sendAt: none(2), sampleSize: 4, holdUntil: windowEnd };
    await cutChunksForAbTest(database.db, params);
    const first = await recipients(campaign.id);
    expect(await cutChunksForAbTest(database.db, { ...params, sampleSize: 8 })).toBe(3);
    expect(await recipients(campaign.id)).toEqual(first);
  });

  it("puts a recipient in the sample by a hash of the campaign and the contact, not by its id order", async () => {
    const campaign = await snapshotted("hash", 40, 100);
    await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 100, sendAt: none(2), sampleSize: 10, holdUntil: windowEnd });
    const rows = await recipients(campaign.id);
    const sampled = rows.map((r, index) => (r.variant === null ? -1 : index)).filter((index) => index >= 0);
    expect(sampled).toHaveLength(10);
    expect(sampled).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("abVariantCounts", () => {
  /** Marks every sample recipient sent with a message id; returns them by variant. */
  async function sent(campaignId: string) {
    await database.db.execute(sql`update campaign_recipients set status = 'sent', message_id = gen_random_uuid() where campaign_id = ${campaignId}::uuid and variant is not null`);
    const rows = await database.db
      .select({ contactId: campaignRecipients.contactId, variant: campaignRecipients.variant, messageId: campaignRecipients.messageId })
      .from(campaignRecipients)
      .where(sql`${campaignRecipients.campaignId} = ${campaignId}::uuid and ${campaignRecipients.variant} is not null`)
      .orderBy(campaignRecipients.contactId);
    return [0, 1, 2].map((v) => rows.filter((r) => r.variant === v));
  }

  const engagement = (campaignId: string, r: { contactId: string; messageId: string | null }, type: "opened" | "clicked", machine: "apple-privacy-proxy" | null = null) => ({
    workspaceId,
    campaignId,
    messageId: r.messageId,
    contactId: r.contactId,
    channel: "email" as const,
    type,
    source: "pixel" as const,
    occurredAt: new Date("2026-12-07T10:00:00Z"),
    dedupeKey: randomUUID(),
    machine,
  });

  it("counts human opens and clicks per variant over the messages sent, never machine opens", async () => {
    const campaign = await snapshotted("counts", 30, 100);
    await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 100, sendAt: none(3), sampleSize: 9, holdUntil: windowEnd });
    const [a, b, c] = await sent(campaign.id);
    await database.db.insert(engagementEvents).values([
      engagement(campaign.id, a![0]!, "opened", "apple-privacy-proxy"),
      engagement(campaign.id, a![1]!, "opened", "apple-privacy-proxy"),
      engagement(campaign.id, b![0]!, "opened"),
      engagement(campaign.id, b![0]!, "opened"),
      engagement(campaign.id, b![1]!, "opened"),
      engagement(campaign.id, c![0]!, "clicked"),
    ]);
    const ids = { workspaceId, campaignId: campaign.id, since: startedAt };
    expect(await abVariantCounts(database.db, { ...ids, metric: "opens" })).toEqual([
      { variant: 0, recipients: 3, sent: 3, conversions: 0 },
      { variant: 1, recipients: 3, sent: 3, conversions: 2 },
      { variant: 2, recipients: 3, sent: 3, conversions: 0 },
    ]);
    expect((await abVariantCounts(database.db, { ...ids, metric: "clicks" })).map((v) => v.conversions)).toEqual([0, 0, 1]);
  });

  it("counts contacts with the goal event after the test started, by name", async () => {
    const campaign = await snapshotted("goal", 30, 100);
    await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 100, sendAt: none(3), sampleSize: 9, holdUntil: windowEnd });
    const [a, , c] = await sent(campaign.id);
    const event = (contactId: string, name: string, occurredAt: Date) => ({ workspaceId, eventId: randomUUID(), name, contactId, occurredAt, receivedAt: occurredAt });
    await database.db.insert(contactEvents).values([
      event(a![0]!.contactId, "purchase", new Date("2026-12-07T08:00:00Z")), // before the test: not counted
      event(c![0]!.contactId, "purchase", new Date("2026-12-07T10:00:00Z")),
      event(c![1]!.contactId, "purchase", new Date("2026-12-07T11:00:00Z")),
      event(c![2]!.contactId, "signup", new Date("2026-12-07T11:00:00Z")),
    ]);
    const counts = await abVariantCounts(database.db, { workspaceId, campaignId: campaign.id, since: startedAt, metric: "goal", goalEvent: "purchase" });
    expect(counts.map((v) => v.conversions)).toEqual([0, 0, 2]);
  });
});

describe("recordAbWinner", () => {
  it("records the winner once: a second pick, whatever it says, changes nothing", async () => {
    const campaign = await snapshotted("once", 4, 10);
    const result = { winner: 1, rates: [0.1, 0.3], pValue: 0.2, confidence: 0.8, metric: "opens" as const, variants: [] };
    const ids = { workspaceId, campaignId: campaign.id };
    expect(await recordAbWinner(database.db, { ...ids, winner: 1, result, decidedBy: "window", decidedAt: windowEnd })).toMatchObject({ abWinner: 1 });
    expect(await recordAbWinner(database.db, { ...ids, winner: 0, result: { ...result, winner: 0 }, decidedBy: "manual", decidedAt: windowEnd })).toBeUndefined();
    expect(await getCampaign(database.db, ids)).toMatchObject({ abWinner: 1, abDecidedBy: "window", abResult: { pValue: 0.2 } });
  });
});

describe("moveHeldChunks", () => {
  it("moves the held chunks to now, for a winner picked before the window ended", async () => {
    const campaign = await snapshotted("early", 10, 2);
    await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 2, sendAt: none(2), sampleSize: 2, holdUntil: windowEnd });
    const now = new Date("2026-12-07T10:00:00Z");
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: now })).toEqual([0]);
    expect(await moveHeldChunks(database.db, { campaignId: campaign.id, now, to: now })).toBe(4);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: now })).toEqual([0, 1, 2, 3, 4]);
    expect(await moveHeldChunks(database.db, { campaignId: campaign.id, now, to: now })).toBe(0);
  });

  it("moves the held chunks to the winner's send time, the same instant however often it runs", async () => {
    const campaign = await snapshotted("rest-at", 10, 2);
    const heldUntil = new Date(windowEnd.getTime() + 25 * 3_600_000);
    await cutChunksForAbTest(database.db, { campaignId: campaign.id, chunkSize: 2, sendAt: none(2), sampleSize: 2, holdUntil: heldUntil });
    const restAt = new Date(windowEnd.getTime() + 5 * 3_600_000);
    expect(await moveHeldChunks(database.db, { campaignId: campaign.id, now: windowEnd, to: restAt })).toBe(4);
    expect(await moveHeldChunks(database.db, { campaignId: campaign.id, now: windowEnd, to: restAt })).toBe(4);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: restAt, releasedAt: restAt })).toEqual([1, 2, 3, 4]);
    expect(await listPendingChunks(database.db, { campaignId: campaign.id, releasedBy: new Date(restAt.getTime() - 1) })).toEqual([0]);
  });
});
