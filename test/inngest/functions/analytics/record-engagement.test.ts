import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { campaignTotals } from "@/db/queries/campaign-stats-hourly";
import { listMessageEngagement } from "@/db/queries/engagement-events";
import { insertMessage } from "@/db/queries/messages";
import { contacts } from "@/db/schema";
import type { EngagementObserved } from "@/inngest/events";
import { ENGAGEMENT_BATCH_SIZE, recordEngagement } from "@/inngest/functions/analytics/record-engagement";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { sampleSum } from "@/test/support/prometheus-text";
import { metrics } from "@/lib/observability/metrics";

let database: Database;
let workspaceA: string;
let workspaceB: string;

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceA = (await createWorkspace(database.db, { name: "A" })).workspace.id;
  workspaceB = (await createWorkspace(database.db, { name: "B" })).workspace.id;
});
afterAll(() => database.close());

async function sentEmail(workspaceId: string, campaignId: string) {
  const email = `reader-${randomUUID()}@example.com`;
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

const observed = (messageId: string, at: string, extra: Partial<EngagementObserved> = {}) => {
  const data: EngagementObserved = {
    observationId: randomUUID(),
    messageId,
    type: "opened",
    source: "pixel",
    occurredAt: at,
    url: null,
    machine: null,
    client: "Apple Mail",
    device: "mobile",
    os: "iOS",
    ...extra,
  };
  return { name: "engagement/event.observed", id: `engagement-${data.observationId}`, data };
};
const run = (events: ReturnType<typeof observed>[]) => new InngestTestEngine({ function: recordEngagement }).execute({ events: events as never });
const counted = async (labels: Record<string, string>) => sampleSum(await metrics().registry.metrics(), "sendline_engagement_events_total", labels);

describe("record-engagement", () => {
  it("is a batch consumer of engagement/event.observed: up to 100 events or about a second", () => {
    expect(recordEngagement.opts).toMatchObject({ id: "record-engagement", batchEvents: { maxSize: ENGAGEMENT_BATCH_SIZE, timeout: "1s" } });
    expect(ENGAGEMENT_BATCH_SIZE).toBe(100);
  });

  it("writes a whole batch of several workspaces in ONE step; each event lands in its message's workspace", async () => {
    const campaignA = randomUUID();
    const campaignB = randomUUID();
    const [a, b] = [await sentEmail(workspaceA, campaignA), await sentEmail(workspaceB, campaignB)];
    const before = { human: await counted({ type: "opened", source: "pixel", kind: "human" }), machine: await counted({ type: "clicked", source: "redirect", kind: "machine" }) };
    const events = [
      observed(a.id, "2026-12-01T11:00:00Z"),
      observed(a.id, "2026-12-01T11:05:00Z", { machine: "apple-privacy-proxy", client: null, device: null, os: null }),
      observed(b.id, "2026-12-01T11:10:00Z", { type: "clicked", source: "redirect", url: "https://shop.example/", machine: "security-scanner" }),
      observed(b.id, "2026-12-01T11:20:00Z", { type: "clicked", source: "redirect", url: "https://shop.example/" }),
      observed(randomUUID(), "2026-12-01T11:00:00Z"),
    ];
    const { result, error, ctx } = await run(events);
    expect(error).toBeUndefined();
    expect(result).toEqual({ events: 5, recorded: 4, duplicates: 0, unknownMessages: 1 });
    // One step per batch, whatever its size: ≤ 2 executions per 100 events.
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
    expect(ctx.step.run).toHaveBeenCalledWith("record-batch", expect.any(Function));

    expect(await campaignTotals(database.db, { workspaceId: workspaceA, campaignId: campaignA })).toMatchObject({ opened: 1, uniqueOpened: 1, machineOpened: 1 });
    expect(await campaignTotals(database.db, { workspaceId: workspaceB, campaignId: campaignB })).toMatchObject({ clicked: 1, uniqueClicked: 1, machineClicked: 1 });
    const [first] = await listMessageEngagement(database.db, { workspaceId: workspaceA, messageId: a.id });
    expect(first).toMatchObject({ dedupeKey: `tracking-${events[0]!.data.observationId}`, client: "Apple Mail", device: "mobile", os: "iOS", firstOpen: true });
    expect(await counted({ type: "opened", source: "pixel", kind: "human" })).toBe(before.human + 1);
    expect(await counted({ type: "clicked", source: "redirect", kind: "machine" })).toBe(before.machine + 1);

    // A replayed run (same events) appends, applies and counts nothing.
    expect((await run(events)).result).toEqual({ events: 5, recorded: 0, duplicates: 4, unknownMessages: 1 });
    expect(await campaignTotals(database.db, { workspaceId: workspaceA, campaignId: campaignA })).toMatchObject({ opened: 1, uniqueOpened: 1, machineOpened: 1 });
    expect(await counted({ type: "opened", source: "pixel", kind: "human" })).toBe(before.human + 1);
  });

  it("writes a full batch of 100 in one transaction", async () => {
    const campaignId = randomUUID();
    const messages = await Promise.all(Array.from({ length: 10 }, () => sentEmail(workspaceA, campaignId)));
    const events = Array.from({ length: ENGAGEMENT_BATCH_SIZE }, (_, index) => observed(messages[index % 10]!.id, new Date(Date.parse("2026-12-01T12:00:00Z") + index * 60_000).toISOString()));
    expect((await run(events)).result).toEqual({ events: 100, recorded: 100, duplicates: 0, unknownMessages: 0 });
    expect(await campaignTotals(database.db, { workspaceId: workspaceA, campaignId })).toMatchObject({ opened: 100, uniqueOpened: 10 });
  });
});
