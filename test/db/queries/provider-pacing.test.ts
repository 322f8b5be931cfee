import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { takeProviderSlot } from "@/db/queries/provider-pacing";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(() => database.close());

describe("provider pacing", () => {
  it("hands concurrent senders distinct slots one cost apart", async () => {
    const slots = await Promise.all(Array.from({ length: 6 }, () => takeProviderSlot(database.db, { account: "a", costMs: 500, catchUpMs: 0, now: new Date() })));
    const times = slots.map((slot) => slot.getTime()).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(500);
  });

  it("lets a late sender make up at most the catch-up allowance, never more", async () => {
    const first = await takeProviderSlot(database.db, { account: "b", costMs: 200, catchUpMs: 200, now: new Date() });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Idle for five slots: the next may start one slot in the past, and the one after right behind it.
    const before = Date.now();
    const late = await takeProviderSlot(database.db, { account: "b", costMs: 200, catchUpMs: 200, now: new Date() });
    const next = await takeProviderSlot(database.db, { account: "b", costMs: 200, catchUpMs: 200, now: new Date() });
    expect(late.getTime()).toBeGreaterThan(first.getTime() + 200);
    expect(late.getTime()).toBeGreaterThanOrEqual(before - 200 - 50);
    expect(next.getTime() - late.getTime()).toBe(200);
  });

  it("takes slots on the app's clock, which the sender waits by, not the database server's", async () => {
    const ahead = new Date(Date.now() + 86_400_000);
    const slot = await takeProviderSlot(database.db, { account: "e", costMs: 500, catchUpMs: 500, now: ahead });
    expect(slot.getTime()).toBeGreaterThanOrEqual(ahead.getTime() - 500);
    expect(slot.getTime()).toBeLessThanOrEqual(ahead.getTime());
    const next = await takeProviderSlot(database.db, { account: "e", costMs: 500, catchUpMs: 500, now: ahead });
    expect(next.getTime() - slot.getTime()).toBe(500);
  });

  it("keeps accounts apart", async () => {
    const a = await takeProviderSlot(database.db, { account: "c", costMs: 10_000, catchUpMs: 0, now: new Date() });
    const b = await takeProviderSlot(database.db, { account: "d", costMs: 10_000, catchUpMs: 0, now: new Date() });
    expect(Math.abs(a.getTime() - b.getTime())).toBeLessThan(5_000);
  });
});
