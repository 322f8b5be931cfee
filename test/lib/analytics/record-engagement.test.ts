import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { insertMessage } from "@/db/queries/messages";
import { contactEngagement, contacts, domainStats, linkStats, workspaceStatsDaily } from "@/db/schema";
import { type EngagementFact, recordEngagement } from "@/lib/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Engagement" }));
});
afterAll(async () => database?.close());

async function campaignMessage(campaignId: string) {
  const email = `reader-${randomUUID()}@Gmail.com`;
  const [contact] = await database.db.insert(contacts).values({ workspaceId, email }).returning();
  const { row } = await insertMessage(database.db, {
    workspaceId,
    idempotencyKey: randomUUID(),
    kind: "campaign",
    campaignId,
    channel: "email",
    recipient: email,
    contactId: contact!.id,
    status: "sent",
    sentAt: new Date("2026-12-01T10:00:00Z"),
  });
  return row;
}

const fact = (messageId: string, type: EngagementFact["type"], at: string, extra: Partial<EngagementFact> = {}): EngagementFact => ({
  messageId,
  type,
  source: type === "clicked" ? "redirect" : "pixel",
  occurredAt: new Date(at),
  dedupeKey: randomUUID(),
  ...extra,
});

describe("recordEngagement", () => {
  it("appends each fact once and keeps the campaign, workspace, link, domain and contact rollups", async () => {
    const campaignId = randomUUID();
    const [a, b] = [await campaignMessage(campaignId), await campaignMessage(campaignId)];
    const batch = [
      fact(a.id, "sent", "2026-12-01T10:00:00Z", { source: "send", applied: { firstOpen: false, firstClick: false } }),
      fact(a.id, "opened", "2026-12-01T10:00:01Z", { machine: "apple-privacy-proxy" }),
      fact(a.id, "opened", "2026-12-01T11:15:00Z"),
      fact(a.id, "opened", "2026-12-01T11:20:00Z"),
      fact(b.id, "clicked", "2026-12-01T11:30:00Z", { url: "https://shop.example.com/sale" }),
      fact(b.id, "clicked", "2026-12-01T11:31:00Z", { url: "https://shop.example.com/sale", machine: "security-scanner" }),
    ];
    expect(await recordEngagement(database.db, batch)).toEqual({ recorded: 6, duplicates: 0, unknownMessages: 0 });
    // The same batch again (a replay): nothing changes.
    expect(await recordEngagement(database.db, batch)).toEqual({ recorded: 0, duplicates: 6, unknownMessages: 0 });

    expect(await campaignTotals(database.db, { workspaceId, campaignId })).toMatchObject({
      sent: 1,
      opened: 2,
      uniqueOpened: 2, // a's first human open, and b's click (a click proves an open)
      machineOpened: 1,
      clicked: 1,
      uniqueClicked: 1,
      machineClicked: 1,
    });
    const [link] = await database.db.select().from(linkStats).where(eq(linkStats.campaignId, campaignId));
    expect(link).toMatchObject({ url: "https://shop.example.com/sale", clicked: 1, uniqueClicked: 1, machineClicked: 1 });
    const [domain] = await database.db.select().from(domainStats).where(eq(domainStats.campaignId, campaignId));
    expect(domain).toMatchObject({ domain: "gmail.com", sent: 1, opened: 2, uniqueOpened: 2 });
    const [day] = await database.db.select().from(workspaceStatsDaily).where(eq(workspaceStatsDaily.workspaceId, workspaceId));
    expect(day).toMatchObject({ day: "2026-12-01", channel: "email", sent: 1, clicked: 1 });

    const [scoreA] = await database.db.select().from(contactEngagement).where(eq(contactEngagement.contactId, a.contactId!));
    expect(scoreA).toMatchObject({ opens: 2, clicks: 0, lastOpenedAt: new Date("2026-12-01T11:20:00Z") });
    expect(scoreA!.score).toBeCloseTo(1 + 0.5 ** (5 / (30 * 24 * 60)), 6);

    const timeline = await listMessageEngagement(database.db, { workspaceId, messageId: a.id });
    expect(timeline.map((event) => [event.type, event.machine, event.firstOpen])).toEqual([
      ["sent", null, false],
      ["opened", "apple-privacy-proxy", false],
      ["opened", null, true],
      ["opened", null, false],
    ]);
  });

  it("skips facts about messages that do not exist, and counts a key repeated inside one batch once", async () => {
    const message = await campaignMessage(randomUUID());
    const repeated = fact(message.id, "opened", "2026-12-02T09:00:00Z");
    expect(await recordEngagement(database.db, [repeated, { ...repeated }, fact(randomUUID(), "opened", "2026-12-02T09:00:00Z")])).toEqual({
      recorded: 1,
      duplicates: 1,
      unknownMessages: 1,
    });
  });

  describe("prefetch timing, judged from the message row", () => {
    const machinesOf = async (messageId: string) => (await listMessageEngagement(database.db, { workspaceId, messageId })).map((event) => [event.type, event.machine]);

    it("flags a person-looking open or click within seconds of the send, and applies neither", async () => {
      const message = await campaignMessage(randomUUID());
      await recordEngagement(database.db, [fact(message.id, "opened", "2026-12-01T10:00:02Z"), fact(message.id, "clicked", "2026-12-01T10:00:04Z")]);
      expect(await machinesOf(message.id)).toEqual([
        ["opened", "prefetch-timing"],
        ["clicked", "prefetch-timing"],
      ]);
      expect(await campaignTotals(database.db, { workspaceId, campaignId: message.campaignId! })).toMatchObject({ opened: 0, machineOpened: 1, clicked: 0, machineClicked: 1 });
    });

    it("flags clicks within a second of each other, in one batch and across batches", async () => {
      const message = await campaignMessage(randomUUID());
      await recordEngagement(database.db, [
        fact(message.id, "clicked", "2026-12-01T12:00:00.100Z", { url: "https://a.example/" }),
        fact(message.id, "clicked", "2026-12-01T12:00:00.400Z", { url: "https://b.example/" }),
      ]);
      // The scanner's third link lands in the next batch; a person's click a minute later does not burst.
      await recordEngagement(database.db, [fact(message.id, "clicked", "2026-12-01T12:00:00.900Z", { url: "https://c.example/" })]);
      await recordEngagement(database.db, [fact(message.id, "clicked", "2026-12-01T12:01:00Z", { url: "https://a.example/" })]);
      expect(await machinesOf(message.id)).toEqual([
        ["clicked", "prefetch-timing"],
        ["clicked", "prefetch-timing"],
        ["clicked", "prefetch-timing"],
        ["clicked", null],
      ]);
    });

    it("a replayed click is not its own burst", async () => {
      const message = await campaignMessage(randomUUID());
      const click = fact(message.id, "clicked", "2026-12-01T13:00:00Z");
      await recordEngagement(database.db, [click]);
      expect(await recordEngagement(database.db, [click, { ...click }])).toEqual({ recorded: 0, duplicates: 2, unknownMessages: 0 });
      expect(await machinesOf(message.id)).toEqual([["clicked", null]]);
    });

    it("leaves facts alone that the caller applied, and push messages (seen the moment they arrive)", async () => {
      const email = await campaignMessage(randomUUID());
      await recordEngagement(database.db, [fact(email.id, "opened", "2026-12-01T10:00:01Z", { source: "resend", applied: { firstOpen: true, firstClick: false } })]);
      expect(await machinesOf(email.id)).toEqual([["opened", null]]);

      const { row: push } = await insertMessage(database.db, { workspaceId, idempotencyKey: randomUUID(), channel: "push", recipient: randomUUID(), status: "sent", sentAt: new Date("2026-12-01T10:00:00Z") });
      await recordEngagement(database.db, [fact(push.id, "clicked", "2026-12-01T10:00:01Z", { source: "push" })]);
      expect(await machinesOf(push.id)).toEqual([["clicked", null]]);
    });
  });
});
