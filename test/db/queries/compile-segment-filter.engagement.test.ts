import { randomUUID } from "node:crypto";
import { and } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { audienceCondition } from "@/db/queries/audience-condition";
import { insertCampaign } from "@/db/queries/campaigns";
import { insertMessage } from "@/db/queries/messages";
import { countContactsMatching, countSegmentContacts, insertSegment, selectSegmentContactIds } from "@/db/queries/segments";
import { contacts } from "@/db/schema";
import { segmentFilter } from "@/core/segments/segment-filter";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedCampaignAudience } from "@/test/support/campaign-audience";
import { useTestDatabase } from "@/test/support/database";
import { engagementFact as fact, seedEngagement } from "@/test/support/engagement-seed";

let database: Database;
let workspaceId: string;
const ids: Record<string, string> = {};
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** A contact and one campaign message to them (the stream's events are about messages). */
async function person(wsId: string, name: string) {
  const [contact] = await database.db.insert(contacts).values({ workspaceId: wsId, email: `${name}-${randomUUID()}@example.com` }).returning();
  const { row } = await insertMessage(database.db, {
    workspaceId: wsId,
    idempotencyKey: randomUUID(),
    kind: "campaign",
    campaignId: randomUUID(),
    channel: "email",
    recipient: contact!.email!,
    contactId: contact!.id,
    status: "delivered",
  });
  return { contactId: contact!.id, messageId: row.id };
}

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Engaged" })).workspace.id;
  const other = (await createWorkspace(database.db, { name: "Other" })).workspace.id;
  const [ada, bob, cy, dee, theirs] = [
    await person(workspaceId, "ada"),
    await person(workspaceId, "bob"),
    await person(workspaceId, "cy"),
    await person(workspaceId, "dee"),
    await person(other, "ada"),
  ];
  Object.assign(ids, { ada: ada.contactId, bob: bob.contactId, cy: cy.contactId, dee: dee.contactId });
  // Through the one writer: ada opened and clicked two days ago (score ≈ 4 × 0.5^(2/30) ≈ 3.8);
  // bob opened 45 days ago (stored score 1, worth 0.35 today); cy only had machine opens; dee nothing.
  await seedEngagement(database.db, [
    fact(ada.messageId, "opened", daysAgo(2)),
    fact(ada.messageId, "clicked", daysAgo(2), { url: "https://example.com/a" }),
    fact(bob.messageId, "opened", daysAgo(45)),
    fact(cy.messageId, "opened", daysAgo(1), { machine: "apple-privacy-proxy" }),
    fact(cy.messageId, "clicked", daysAgo(1), { url: "https://example.com/a", machine: "security-scanner" }),
    fact(theirs.messageId, "clicked", daysAgo(0), { url: "https://example.com/a" }),
  ]);
});
afterAll(async () => database?.close());

const names = (matched: string[]) =>
  Object.entries(ids)
    .filter(([, id]) => matched.includes(id))
    .map(([name]) => name)
    .sort();

describe("engagement rollup conditions", () => {
  it.each([
    [{ engaged: { within: "30d" } }, ["ada"]],
    [{ engaged: { within: "60d" } }, ["ada", "bob"]],
    [{ engaged: { within: "1d" } }, []],
    [{ not: { engaged: { within: "30d" } } }, ["bob", "cy", "dee"]],
    [{ engagementScore: { op: "gte", value: 2 } }, ["ada"]],
    // bob's stored score is 1; decayed to now it is 0.35: the filter compares the decayed value.
    [{ engagementScore: { op: "gte", value: 0.5 } }, ["ada"]],
    [{ engagementScore: { op: "gt", value: 0.3 } }, ["ada", "bob"]],
    [{ engagementScore: { op: "lt", value: 0.5 } }, ["bob", "cy", "dee"]],
    [{ engagementScore: { op: "lte", value: 0 } }, ["cy", "dee"]],
    [{ all: [{ engaged: { within: "60d" } }, { engagementScore: { op: "lt", value: 1 } }] }, ["bob"]],
  ])("%j matches %j", async (raw, expected) => {
    const filter = segmentFilter.parse(raw);
    const matched = await selectSegmentContactIds(database.db, { workspaceId, filter, limit: 100 });
    expect(names(matched)).toEqual(expected);
    expect(await countContactsMatching(database.db, { workspaceId, filter })).toBe(expected.length);
  });

  it("a saved segment's count and a campaign's audience honour them", async () => {
    const segment = (await insertSegment(database.db, { workspaceId, name: "Engaged lately", filter: segmentFilter.parse({ engaged: { within: "60d" } }) }))!;
    expect(await countSegmentContacts(database.db, { workspaceId, segmentId: segment.id })).toBe(2);
    const { templateId } = await seedCampaignAudience(database.db, { workspaceId, size: 0, prefix: "seg" });
    const campaign = (await insertCampaign(database.db, { workspaceId, name: "To the engaged", channel: "email", templateId, audience: { segmentId: segment.id } }))!;
    const condition = await audienceCondition(database.db, campaign);
    if ("error" in condition) throw new Error(condition.error);
    const audience = await database.db.select({ id: contacts.id }).from(contacts).where(and(condition));
    expect(names(audience.map((row) => row.id))).toEqual(["ada", "bob"]);
  });
});

describe("validation", () => {
  it.each([
    [{ engaged: { within: "30x" } }, "engaged.within"],
    [{ engaged: "30d" }, "engaged"],
    [{ engaged: { within: "30d", channel: "email" } }, "engaged"],
    [{ engagementScore: { op: "eq", value: 1 } }, "engagementScore.op"],
    [{ engagementScore: { op: "gte", value: -1 } }, "engagementScore.value"],
    [{ engagementScore: { op: "gte", value: "2" } }, "engagementScore.value"],
    [{ engagementScore: { op: "gte", value: 2 }, engaged: { within: "30d" } }, ""],
  ])("refuses %j at %s", (raw, path) => {
    const parsed = segmentFilter.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join("."))).toContain(path);
  });
});
