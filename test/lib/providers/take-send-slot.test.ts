import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { reserveSendSlot } from "@/lib/providers/take-send-slot";
import { useTestDatabase } from "@/test/support/database";

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  vi.useRealTimers();
  await database.close();
});

describe("reserveSendSlot", () => {
  it("reserves on the clock the sender waits by: with the app's clock a day ahead, the slot is a day ahead too", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 86_400_000);
    const slots = [];
    for (let i = 0; i < 3; i++) slots.push(await reserveSendSlot(database.db, { account: "ahead", perSecond: 2 }));
    // A slot behind the sender's clock is not waited for at all: three back-to-back requests.
    expect(slots[0]!.getTime()).toBeGreaterThanOrEqual(Date.now() - 1_000);
    expect(slots[2]!.getTime() - slots[0]!.getTime()).toBe(1_000);
    vi.useRealTimers();
  });
});
