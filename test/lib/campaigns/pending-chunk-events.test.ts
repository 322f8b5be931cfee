import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { campaignSettings } from "@/lib/campaigns/campaign-settings";
import { pendingChunkEvents } from "@/lib/campaigns/pending-chunk-events";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { plannedCampaign } from "@/test/support/planned-campaign";

const settings = { ...campaignSettings({}), chunkSize: 2 };
let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Chunks" }));
});
afterAll(async () => {
  vi.useRealTimers();
  await database.close();
});

describe("pendingChunkEvents", () => {
  it("re-emits pending chunks under their next emission number, and only those not emitted since the given time", async () => {
    const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 3, prefix: "reemit" });
    const first = await pendingChunkEvents(database.db, campaign);
    expect(first.map((event) => [event.data.chunk, event.id])).toEqual([
      [0, expect.stringMatching(/-0-2$/)],
      [1, expect.stringMatching(/-1-2$/)],
    ]);
    expect(await pendingChunkEvents(database.db, campaign, new Date(Date.now() - 60_000))).toEqual([]);
  });

  it("of two callers racing for the same stalled chunks (a zone's release and the watchdog), one emits each", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 4, prefix: "race" });
    // An hour on, both see the chunks emitted before their stall time.
    vi.setSystemTime(Date.now() + 3_600_000);
    const stalledBefore = new Date(Date.now() - 10 * 60_000);
    const [a, b] = await Promise.all([pendingChunkEvents(database.db, campaign, stalledBefore), pendingChunkEvents(database.db, campaign, stalledBefore)]);
    expect([...a, ...b].map((event) => event.data.chunk).sort()).toEqual([0, 1]);
    vi.useRealTimers();
  });

  it("stamps an emission on the app's clock, which the watchdog compares it with, not the database server's", async () => {
    // The app's clock a day ahead of the server's (a test that moves time; or clocks apart).
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 86_400_000);
    const campaign = await plannedCampaign(database.db, settings, { workspaceId, size: 3, prefix: "ahead" });
    expect(await pendingChunkEvents(database.db, campaign)).toHaveLength(2);
    // A watchdog round a minute later asks for chunks emitted more than ten minutes ago: none.
    vi.setSystemTime(Date.now() + 60_000);
    expect(await pendingChunkEvents(database.db, campaign, new Date(Date.now() - 10 * 60_000))).toEqual([]);
    vi.useRealTimers();
  });
});
