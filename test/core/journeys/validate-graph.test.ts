import { describe, expect, it } from "vitest";
import { evaluateCondition } from "@/core/journeys/condition";
import { nextLocalTime } from "@/core/journeys/local-time";
import { pickSplitExit } from "@/core/journeys/random-split";
import { journeyReferences, validateJourneyGraph } from "@/core/journeys/validate-graph";

const T1 = "00000000-0000-4000-8000-000000000001";
const T2 = "00000000-0000-4000-8000-000000000002";

/** The welcome journey: send → wait 2 days for an open → opened: offer; not: resend. */
const welcome = () => ({
  trigger: { type: "event", eventName: "signup" },
  reentry: { mode: "never" },
  goal: { eventName: "purchase" },
  start: "welcome",
  nodes: [
    { id: "welcome", type: "send", channel: "email", templateId: T1, next: "wait-open" },
    { id: "wait-open", type: "waitForEvent", event: "opened", timeout: { amount: 2, unit: "days" }, onEvent: "offer", onTimeout: "resend" },
    { id: "offer", type: "send", channel: "email", templateId: T2, next: "done" },
    { id: "resend", type: "send", channel: "email", templateId: T2, next: "done" },
    { id: "done", type: "exit" },
  ],
});

const errorsOf = (graph: unknown) => {
  const check = validateJourneyGraph(graph);
  return check.ok ? [] : check.errors;
};
const withNodes = (nodes: unknown[], start = "a") => ({ ...welcome(), start, nodes });

describe("validateJourneyGraph", () => {
  it("accepts the welcome journey and fills defaults", () => {
    const check = validateJourneyGraph({ ...welcome(), reentry: undefined, goal: undefined });
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.graph).toMatchObject({ reentry: { mode: "never" }, goal: null, start: "welcome" });
  });

  it.each([
    ["an unknown step type", [{ id: "a", type: "teleport" }], { nodeId: "a", field: "type", message: 'unknown step type "teleport"' }],
    ["a send without its template", [{ id: "a", type: "send", channel: "email", next: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "templateId" }],
    ["a dangling exit", [{ id: "a", type: "send", channel: "email", templateId: T1 }], { nodeId: "a", field: "next", message: expect.stringContaining("leads nowhere") }],
    ["an exit to a missing step", [{ id: "a", type: "send", channel: "email", templateId: T1, next: "zz" }], { nodeId: "a", field: "next", message: expect.stringContaining("does not exist (zz)") }],
    ["an orphan step", [{ id: "a", type: "exit" }, { id: "b", type: "exit" }], { nodeId: "b", message: expect.stringContaining("orphan") }],
    [
      "a loop without a wait",
      [
        { id: "a", type: "send", channel: "email", templateId: T1, next: "b" },
        { id: "b", type: "branch", condition: "true", onTrue: "a", onFalse: "c" },
        { id: "c", type: "exit" },
      ],
      { nodeId: "a", message: expect.stringContaining("loop with no wait") },
    ],
    ["bad CEL", [{ id: "a", type: "branch", condition: "contact.email ==", onTrue: "b", onFalse: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "condition", message: expect.stringContaining("not a valid CEL") }],
    ["a wait with neither duration nor time", [{ id: "a", type: "wait", next: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "duration" }],
    ["a custom wait without its event", [{ id: "a", type: "waitForEvent", event: "custom", timeout: { amount: 1, unit: "days" }, onEvent: "b", onTimeout: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "eventName" }],
    ["an open wait with no send before it", [{ id: "a", type: "waitForEvent", event: "opened", timeout: { amount: 1, unit: "days" }, onEvent: "b", onTimeout: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "sendNodeId" }],
    ["a plain-http webhook", [{ id: "a", type: "webhook", url: "http://example.com/hook", next: "b" }, { id: "b", type: "exit" }], { nodeId: "a", field: "url", message: "must be an https URL" }],
    ["a random split with one exit", [{ id: "a", type: "randomSplit", exits: [{ weight: 1, next: "b" }] }, { id: "b", type: "exit" }], { nodeId: "a", field: "exits" }],
    ["duplicate ids", [{ id: "a", type: "wait", duration: { amount: 1, unit: "days" }, next: "a" }, { id: "a", type: "exit" }], { nodeId: "a", field: "id" }],
  ])("refuses %s, naming the step", (_, nodes, expected) => {
    expect(errorsOf(withNodes(nodes))).toContainEqual(expect.objectContaining(expected));
  });

  it("allows a loop that waits", () => {
    const nodes = [
      { id: "a", type: "send", channel: "email", templateId: T1, next: "w" },
      { id: "w", type: "wait", duration: { amount: 7, unit: "days" }, next: "b" },
      { id: "b", type: "branch", condition: "contact.attributes.plan == 'free'", onTrue: "a", onFalse: "c" },
      { id: "c", type: "exit" },
    ];
    expect(errorsOf(withNodes(nodes))).toEqual([]);
  });

  it("refuses a journey without steps or a start, naming the journey itself", () => {
    expect(errorsOf({ trigger: { type: "event", eventName: "x" }, nodes: [] })).toContainEqual(expect.objectContaining({ nodeId: null, field: "nodes" }));
    expect(errorsOf({ ...welcome(), start: null })).toContainEqual(expect.objectContaining({ nodeId: null, field: "start" }));
    expect(errorsOf({ ...welcome(), trigger: { type: "event" } })).toContainEqual(expect.objectContaining({ nodeId: null, field: "trigger.eventName" }));
  });

  it("allows plain http webhooks when told to (development)", () => {
    const graph = withNodes([{ id: "a", type: "webhook", url: "http://127.0.0.1:9/hook", next: "b" }, { id: "b", type: "exit" }]);
    expect(validateJourneyGraph(graph, { allowHttpWebhooks: true }).ok).toBe(true);
  });

  it("lists the templates and lists a graph refers to, by step", () => {
    const check = validateJourneyGraph(welcome());
    if (!check.ok) throw new Error("invalid");
    expect(journeyReferences(check.graph).map((ref) => [ref.nodeId, ref.kind, ref.id])).toEqual([
      ["welcome", "template", T1],
      ["offer", "template", T2],
      ["resend", "template", T2],
    ]);
  });
});

describe("evaluateCondition", () => {
  const context = { contact: { email: "a@example.com", attributes: { orders: 3, plan: "pro" } }, event: { name: "signup", properties: { source: "ad" } }, journey: { opened: true } };
  it.each([
    ["contact.attributes.orders > 2", true],
    ["contact.attributes.plan == 'free'", false],
    ["event.properties.source == 'ad' && journey.opened", true],
    ["contact.attributes.missing > 1", false],
  ])("%s is %s", (expression, value) => {
    expect(evaluateCondition(expression, context).value).toBe(value);
  });
});

describe("pickSplitExit", () => {
  it("is the same for the same enrollment and fills exits by weight", () => {
    expect(pickSplitExit("e1", "split", [1, 1])).toBe(pickSplitExit("e1", "split", [1, 1]));
    const counts = [0, 0, 0];
    for (let i = 0; i < 3_000; i++) counts[pickSplitExit(`enrollment-${i}`, "split", [1, 1, 2])]!++;
    expect(counts[2]! / 3_000).toBeGreaterThan(0.45);
    expect(counts[2]! / 3_000).toBeLessThan(0.55);
    expect(counts[0]! / 3_000).toBeGreaterThan(0.2);
  });
});

describe("nextLocalTime", () => {
  it.each([
    ["later today", "2026-03-10T12:00:00Z", "09:00", "America/New_York", "2026-03-10T13:00:00.000Z"],
    ["tomorrow when already past", "2026-03-10T15:00:00Z", "09:00", "America/New_York", "2026-03-11T13:00:00.000Z"],
    ["in Tokyo", "2026-03-10T15:00:00Z", "09:00", "Asia/Tokyo", "2026-03-11T00:00:00.000Z"],
  ])("%s", (_, now, hhmm, zone, expected) => {
    expect(nextLocalTime(new Date(now), hhmm, zone).toISOString()).toBe(expected);
  });
});
