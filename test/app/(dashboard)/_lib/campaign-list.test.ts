import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignListRows } from "@/app/(dashboard)/_lib/campaign-list";
import { campaignProgressView } from "@/app/(dashboard)/_lib/campaign-progress";
import { CampaignCounters, CAMPAIGN_COUNTERS } from "@/app/(dashboard)/campaigns/[id]/campaign-counters";
import { CampaignsTable } from "@/app/(dashboard)/campaigns/campaigns-table";
import type { Database } from "@/db";
import { type Campaign, insertCampaign, listCampaigns } from "@/db/queries/campaigns";
import { insertSegment } from "@/db/queries/segments";
import { campaignChunks, campaignRecipients, contacts, messages } from "@/db/schema";
import { campaignDetailView } from "@/lib/campaigns/campaign-view";
import { recordEngagement } from "@/lib/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { engagementFact as fact } from "@/test/support/engagement-seed";

let database: Database;
let mine: string;
let theirs: string;
let listId: string;
let segmentId: string;
const campaigns: Record<string, Campaign> = {};
const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 12, minute));
const CREDITS_REASON = "Not enough credits: the audience is 6 recipients and the balance is 2.";

beforeAll(async () => {
  database = await useTestDatabase();
  const { db } = database;
  ({ workspace: { id: mine } } = await createWorkspace(db, { name: "Mine" }));
  ({ workspace: { id: theirs } } = await createWorkspace(db, { name: "Theirs" }));
  const audience = await seedCampaignAudience(db, { workspaceId: mine, size: 6, prefix: "l" });
  listId = audience.listId;
  segmentId = (await insertSegment(db, { workspaceId: mine, name: "VIPs", filter: { field: "email", op: "ends_with", value: "@example.com" } }))!.id;
  const base = { workspaceId: mine, channel: "email" as const, templateId: audience.templateId };
  campaigns.draft = await insertCampaign(db, { ...base, name: "Spring draft", audience: { listId }, statusReason: CREDITS_REASON, createdAt: at(1) });
  campaigns.launch = await insertCampaign(db, {
    ...base,
    name: "Launch",
    audience: { listId },
    status: "sending",
    sendAt: at(5),
    startedAt: at(5),
    audienceCount: 6,
    chunkCount: 2,
    createdAt: at(2),
  });
  campaigns.failed = await insertCampaign(db, {
    ...base,
    name: "VIP offer",
    audience: { segmentId },
    status: "failed",
    statusReason: "The audience segment was deleted.",
    startedAt: at(6),
    createdAt: at(3),
  });
  campaigns.gone = await insertCampaign(db, { ...base, name: "Old list", audience: { listId: "00000000-0000-4000-8000-000000000000" }, status: "sent", finishedAt: at(9), createdAt: at(0) });
  const other = await seedCampaignAudience(db, { workspaceId: theirs, size: 1, prefix: "t" });
  campaigns.theirs = await insertCampaign(db, { workspaceId: theirs, channel: "email", templateId: other.templateId, name: "Theirs", audience: { listId: other.listId }, createdAt: at(4) });

  // Launch, mid-send: 6 recipients in 2 chunks, 3 sent, 1 suppressed, 1 failed, 1 pending.
  const people = await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, mine)).orderBy(contacts.email);
  const outcomes = ["sent", "sent", "sent", "suppressed", "failed", "pending"] as const;
  await db.insert(campaignRecipients).values(people.map((person, index) => ({ campaignId: campaigns.launch!.id, contactId: person.id, chunk: Math.floor(index / 3), status: outcomes[index]! })));
  await db.insert(campaignChunks).values([
    { campaignId: campaigns.launch.id, chunk: 0, recipients: 3, status: "done" },
    { campaignId: campaigns.launch.id, chunk: 1, recipients: 3 },
  ]);
  const sent = { workspaceId: mine, campaignId: campaigns.launch.id, channel: "email" as const, kind: "campaign" as const, sentAt: at(6) };
  const [l1, l2, l3] = await db
    .insert(messages)
    .values(["l1", "l2", "l3"].map((key) => ({ ...sent, idempotencyKey: key, recipient: `${key}@example.com`, status: "sent" as const })))
    .returning();
  // Engagement is read from the rollups, so it is recorded through the engagement stream's one writer.
  await recordEngagement(db, [
    fact(l1!.id, "delivered", at(7)),
    fact(l1!.id, "opened", at(8)),
    fact(l1!.id, "opened", at(8)),
    fact(l1!.id, "clicked", at(9), { url: "https://example.com/post" }),
    fact(l1!.id, "unsubscribed", at(10)),
    fact(l2!.id, "delivered", at(7)),
    fact(l2!.id, "opened", at(8)),
    fact(l2!.id, "opened", at(8), { machine: "apple-privacy-proxy" }),
    fact(l2!.id, "complained", at(9)),
    fact(l3!.id, "bounced", at(7), { bounceKind: "hard" }),
  ]);
});
afterAll(async () => {
  await database.close();
});

describe("campaign list", () => {
  it("lists the workspace's campaigns newest first with status, reason, audience and counters", async () => {
    const rows = await campaignListRows(database.db, mine, await listCampaigns(database.db, { workspaceId: mine, limit: 10 }));
    expect(
      rows.map(({ campaign, audienceName, progress }) => [campaign.name, campaign.status, campaign.statusReason, audienceName, progress.sent, progress.failed, progress.audience]),
    ).toEqual([
      ["VIP offer", "failed", "The audience segment was deleted.", "VIPs", 0, 0, 0],
      ["Launch", "sending", null, "l audience", 3, 1, 6],
      ["Spring draft", "draft", CREDITS_REASON, "l audience", 0, 0, 0],
      ["Old list", "sent", null, null, 0, 0, 0],
    ]);
  });

  it("pages on (created_at, id)", async () => {
    const [first] = await listCampaigns(database.db, { workspaceId: mine, limit: 1 });
    const rest = await listCampaigns(database.db, { workspaceId: mine, limit: 10, after: { at: first!.createdAt, id: first!.id } });
    expect(rest.map((row) => row.name)).toEqual(["Launch", "Spring draft", "Old list"]);
  });

  it("renders each row's status with its reason, audience, progress bar and times", async () => {
    const rows = await campaignListRows(database.db, mine, await listCampaigns(database.db, { workspaceId: mine, limit: 10 }));
    const html = renderToStaticMarkup(createElement(CampaignsTable, { rows }));
    expect(html).toContain(`href="/campaigns/${campaigns.launch!.id}"`);
    expect(html).toContain('<span class="badge badge-draft">draft</span>');
    expect(html).toContain(`<div class="status-reason muted">${CREDITS_REASON}</div>`);
    expect(html).toContain('<div class="status-reason error-text">The audience segment was deleted.</div>');
    expect(html).toContain(`href="/contacts?listId=${listId}"`);
    expect(html).toContain("segment VIPs");
    // A deleted list shows its id rather than nothing.
    expect(html).toContain("00000000-0000-4000-8000-000000000000");
    expect(html).toMatch(/role="progressbar" aria-label="Campaign progress: 5 \/ 6 recipients" aria-valuemin="0" aria-valuemax="100" aria-valuenow="83"/);
    expect(html).toContain("6 recipients");
    expect(html).toContain('<time dateTime="2025-01-01T12:05:00.000Z"');
    expect(html).not.toContain("Theirs");
  });
});

describe("campaign detail", () => {
  it("has every counter: progress from recipients, engagement from the rollups (machine opens in none)", async () => {
    const detail = await campaignDetailView(database.db, campaigns.launch!);
    expect(detail.stats).toEqual({
      audience: 6,
      sent: 3,
      suppressed: 1,
      failed: 1,
      pending: 1,
      delivered: 2,
      opened: 3,
      uniqueOpened: 2,
      clicked: 1,
      uniqueClicked: 1,
      bounced: 1,
      complained: 1,
      unsubscribed: 1,
    });
    expect(detail.progress).toEqual({ chunks: 2, chunksDone: 1, percent: 83 });
    // The page shows each of them, and nothing the view does not have.
    expect(CAMPAIGN_COUNTERS.map(([key]) => key).sort()).toEqual(Object.keys(detail.stats).sort());
  });

  it("renders the counters with their labels", async () => {
    const { stats } = await campaignDetailView(database.db, campaigns.launch!);
    const html = renderToStaticMarkup(createElement(CampaignCounters, { stats }));
    for (const [label, value] of [
      ["Audience", 6],
      ["Pending", 1],
      ["Opened (total)", 3],
      ["Opened (unique)", 2],
      ["Clicked (unique)", 1],
      ["Unsubscribed", 1],
    ] as const) {
      expect(html).toContain(`<div class="card-label">${label}</div><div class="card-value">${value}</div>`);
    }
    expect(html).toContain('class="card counter-bounced counter-failed"');
  });

  it("draws the same percentage as the API reports", async () => {
    for (const campaign of [campaigns.draft!, campaigns.launch!, campaigns.failed!, campaigns.gone!]) {
      const detail = await campaignDetailView(database.db, campaign);
      expect(campaignProgressView(campaign.status, detail.stats).percent).toBe(detail.progress.percent);
    }
  });
});
