import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importGraph, layerOf, upwardImports } from "@/test/support/layers";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("layers point down only", () => {
  const graph = importGraph(root);

  it("reads the imports of the whole tree", () => {
    // A scanner that silently found nothing would pass everything.
    for (const layer of ["floor", "db", "lib", "inngest", "app", "engine"]) {
      expect(graph.some((edge) => layerOf(edge.from) === layer), layer).toBe(true);
    }
  });

  it("has no import from a higher floor, and nothing but tools imports engine/", () => {
    expect(upwardImports(graph).map((edge) => `${edge.from} (${edge.fromLayer}) → ${edge.to} (${edge.toLayer})`)).toEqual([]);
  });

  it.each([
    ["core/messages/status.ts", "db/schema", "floor", "db"],
    ["core/segments/segment-filter.ts", "lib/api/read-body", "floor", "lib"],
    ["db/queries/segments.ts", "lib/segments/segment-view", "db", "lib"],
    ["db/index.ts", "lib/config/public-url", "db", "lib"],
    ["lib/campaigns/campaign-actions.ts", "inngest/events", "lib", "inngest"],
    ["lib/imports/run-import.ts", "app/_lib/send-campaign-events", "lib", "app"],
    ["inngest/functions/index.ts", "app/api/inngest/route", "inngest", "app"],
    ["app/api/inngest/route.ts", "engine/engine", "app", "engine"],
    ["engine/engine.ts", "db/index", "engine", "db"],
  ] as const)("refuses %s importing %s", (from, to, fromLayer, toLayer) => {
    expect(upwardImports([{ from, to }])).toEqual([{ from, to, fromLayer, toLayer }]);
  });

  it.each([
    ["db/queries/segments.ts", "core/segments/segment-filter"],
    ["db/index.ts", "core/config/env"],
    ["lib/campaigns/campaign-actions.ts", "db/queries/campaigns"],
    ["inngest/functions/campaigns/watch-campaigns.ts", "lib/campaigns/rescue-stalled-campaigns"],
    ["app/api/v1/campaigns/route.ts", "inngest/campaign-event"],
    ["test/layers.test.ts", "engine/engine"],
    ["bench/engine/run.ts", "app/api/inngest/route"],
  ] as const)("lets %s import %s", (from, to) => {
    expect(upwardImports([{ from, to }])).toEqual([]);
  });
});
