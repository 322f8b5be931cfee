import { describe, expect, it } from "vitest";
import type { EngineContext } from "@/engine/context";
import { registerFunctions } from "@/engine/sync";
import type { FnConfig } from "@/engine/types";

/** A store that only records the order of what registration writes. */
function recordingContext() {
  const writes: string[] = [];
  const ctx = {
    allowsAppUrl: () => true,
    log: { info: () => {}, warn: () => {}, error: () => {} },
    poke: () => {},
    store: {
      upsertApp: async () => void writes.push("app"),
      replaceFunctions: async () => void writes.push("functions"),
      listFunctions: async () => [],
      jobsOfKind: async () => [],
      deleteJob: async () => {},
      insertJob: async () => {},
    },
  } as unknown as EngineContext;
  return { ctx, writes };
}

describe("registerFunctions", () => {
  it("stores the app's functions before marking the app synced, so a launcher waiting for the sync never counts the old ones", async () => {
    const { ctx, writes } = recordingContext();
    const fn = { id: "app-fn", name: "fn", triggers: [{ event: "x/y" }], steps: { step: { id: "step", name: "step", runtime: { type: "http", url: "http://127.0.0.1:3000/api/inngest?fnId=app-fn&stepId=step" } } } } as unknown as FnConfig;
    await registerFunctions(ctx, "http://127.0.0.1:3000/api/inngest", "app", [fn], {});
    expect(writes).toEqual(["functions", "app"]);
  });
});
