import { describe, expect, it } from "vitest";
import { addStep, connectExit, draftToFlow, moveSteps, removeSteps, stepHandles, TRIGGER_NODE_ID, updateStep } from "@/core/journeys/canvas-graph";
import { JOURNEY_NODE_TYPES } from "@/core/journeys/graph";
import { validateJourneyGraph } from "@/core/journeys/validate-graph";

const T1 = "00000000-0000-4000-8000-000000000001";

const welcome = () => ({
  trigger: { type: "event", eventName: "signup" },
  start: "welcome",
  nodes: [
    { id: "welcome", type: "send", channel: "email", templateId: T1, next: "wait-open" },
    { id: "wait-open", type: "waitForEvent", event: "opened", timeout: { amount: 2, unit: "days" }, onEvent: "split", onTimeout: "done" },
    { id: "split", type: "randomSplit", exits: [{ weight: 1, next: "done" }, { weight: 1, next: null }] },
    { id: "done", type: "exit" },
  ],
  layout: { welcome: { x: 40, y: 120 } },
});

describe("draftToFlow: the canvas's picture of a draft", () => {
  it("shows the trigger and each step as nodes, and each connected exit as an edge named by its branch", () => {
    const flow = draftToFlow(welcome());
    expect(flow.nodes.map((node) => [node.id, node.type, node.data.handles])).toEqual([
      [TRIGGER_NODE_ID, "trigger", ["start"]],
      ["welcome", "step", ["next"]],
      ["wait-open", "step", ["event", "timeout"]],
      ["split", "step", ["split-1", "split-2"]],
      ["done", "step", []],
    ]);
    expect(flow.edges.map((edge) => `${edge.source}:${edge.sourceHandle}→${edge.target}`)).toEqual([
      "@trigger:start→welcome",
      "welcome:next→wait-open",
      "wait-open:event→split",
      "wait-open:timeout→done",
      "split:split-1→done",
    ]);
  });

  it("places steps at their saved positions, and the rest in rows by distance from the start", () => {
    const positions = Object.fromEntries(draftToFlow(welcome()).nodes.map((node) => [node.id, node.position]));
    expect(positions.welcome).toEqual({ x: 40, y: 120 });
    expect(positions["wait-open"]!.y).toBeLessThan(positions.split!.y);
  });

  it.each([
    ["branch", ["true", "false"]],
    ["exit", []],
    ["webhook", ["next"]],
  ])("a %s step has the exits %j", (type, handles) => expect(stepHandles({ id: "x", type })).toEqual(handles));
});

describe("canvas edits are draft → draft", () => {
  it("builds a valid journey from nothing: add, connect, fill in", () => {
    let draft: Record<string, unknown> = { trigger: { type: "event", eventName: "signup" }, start: null, nodes: [] };
    const send = addStep(draft, "send", { x: 0, y: 150 });
    expect(send.id).toBe("send-1");
    expect(send.draft.start).toBe("send-1");
    const exit = addStep(send.draft, "exit", { x: 0, y: 300 });
    draft = connectExit(exit.draft, "send-1", "next", exit.id);
    expect(validateJourneyGraph(draft).ok).toBe(false);
    draft = updateStep(draft, "send-1", { channel: "email", templateId: T1, next: "exit-1", type: "exit", id: "other" });
    const check = validateJourneyGraph(draft);
    expect(check.ok ? null : check.errors).toBeNull();
    expect(draft.layout).toEqual({ "send-1": { x: 0, y: 150 }, "exit-1": { x: 0, y: 300 } });
  });

  it("gives each new step an id of its own, for every step type", () => {
    let draft: Record<string, unknown> = { nodes: [] };
    const ids = JOURNEY_NODE_TYPES.map((type) => {
      const added = addStep(draft, type, { x: 0, y: 0 });
      draft = added.draft;
      return added.id;
    });
    expect(new Set(ids).size).toBe(JOURNEY_NODE_TYPES.length);
    expect(ids).toContain("wait-for-event-1");
    expect(addStep(draft, "send", { x: 0, y: 0 }).id).toBe("send-2");
  });

  it("connects the trigger to the first step, and a split's second exit", () => {
    expect(connectExit(welcome(), TRIGGER_NODE_ID, "start", "done").start).toBe("done");
    const draft = connectExit(welcome(), "split", "split-2", "welcome");
    expect(draftToFlow(draft).edges.map((edge) => edge.id)).toContain("split:split-2");
  });

  it("removing a step removes its position and every exit that led to it", () => {
    const draft = removeSteps(welcome(), ["welcome", "done", TRIGGER_NODE_ID]);
    expect(draft.start).toBeNull();
    expect(draft.layout).toEqual({});
    expect(draft.nodes).toEqual([
      { id: "wait-open", type: "waitForEvent", event: "opened", timeout: { amount: 2, unit: "days" }, onEvent: "split", onTimeout: null },
      { id: "split", type: "randomSplit", exits: [{ weight: 1, next: null }, { weight: 1, next: null }] },
    ]);
  });

  it("records dropped positions in whole pixels", () => {
    expect(moveSteps(welcome(), { done: { x: 10.4, y: 20.6 } }).layout).toEqual({ welcome: { x: 40, y: 120 }, done: { x: 10, y: 21 } });
  });
});
