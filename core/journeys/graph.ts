import { z } from "zod";
import { DATE_FIELD_RULE, parseDateField } from "@/core/automations/date-schedule";
import { CHANNELS } from "@/core/messages/channels";
import { journeyAbTest } from "./journey-ab-test";

/**
 * A journey's graph (issue 17): a trigger, entry rules, an optional goal, and steps that name
 * the step each exit leads to. Stored as jsonb in journeys.draft (what the canvas edits) and in
 * journey_versions.graph (what runs, never changed). Pure data: validateJourneyGraph checks what
 * the schema cannot (reachability, exits, cycles, CEL), naming the step at fault.
 */

export const JOURNEY_NODE_TYPES = ["send", "wait", "waitForEvent", "branch", "randomSplit", "updateContact", "addToList", "removeFromList", "webhook", "exit"] as const;
export type JourneyNodeType = (typeof JOURNEY_NODE_TYPES)[number];

/** At most this many steps: one run walks them, a constant number of Inngest steps each, under Inngest's 1,000 per run. */
export const JOURNEY_MAX_NODES = 100;
/** Longest wait of any kind. */
export const JOURNEY_MAX_WAIT_DAYS = 365;

const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, `_` and `-`, at most 64");
/** The step an exit leads to; null/absent is a dangling exit, which validation refuses. */
const next = nodeId.nullable().optional();
const eventName = z.string().trim().min(1).max(200);
const duration = z.strictObject({
  amount: z.number().int().positive(),
  unit: z.enum(["minutes", "hours", "days"]),
});
export type JourneyDuration = z.infer<typeof duration>;

const base = { id: nodeId, label: z.string().max(200).optional() };

export const sendNode = z.strictObject({
  ...base,
  type: z.literal("send"),
  channel: z.enum(CHANNELS),
  templateId: z.uuid(),
  category: z.string().max(100).optional(),
  /** Variants of this send tried on the first enrollments, then the winner for everyone (journey-ab-test.ts). */
  abTest: journeyAbTest.optional(),
  next,
});
export const waitNode = z.strictObject({
  ...base,
  type: z.literal("wait"),
  /** Either a duration, or until the next local time (HH:MM) in the contact's zone. */
  duration: duration.optional(),
  untilLocalTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time as HH:MM").optional(),
  next,
});
export const waitForEventNode = z.strictObject({
  ...base,
  type: z.literal("waitForEvent"),
  /** `opened` / `clicked`: engagement with the message of `sendNodeId` (default: the previous send on the path); `custom`: a contact event named `eventName`. */
  event: z.enum(["opened", "clicked", "custom"]),
  sendNodeId: nodeId.optional(),
  eventName: eventName.optional(),
  timeout: duration,
  onEvent: next,
  onTimeout: next,
});
export const branchNode = z.strictObject({ ...base, type: z.literal("branch"), condition: z.string().trim().min(1).max(2_000), onTrue: next, onFalse: next });
export const randomSplitNode = z.strictObject({
  ...base,
  type: z.literal("randomSplit"),
  exits: z.array(z.strictObject({ weight: z.number().int().positive().max(10_000), next })).min(2).max(4),
});
export const updateContactNode = z.strictObject({
  ...base,
  type: z.literal("updateContact"),
  attributes: z.record(z.string().min(1).max(100), z.union([z.string().max(1_000), z.number(), z.boolean(), z.null()])),
  next,
});
export const listNode = (type: "addToList" | "removeFromList") => z.strictObject({ ...base, type: z.literal(type), listId: z.uuid(), next });
export const addToListNode = listNode("addToList");
export const removeFromListNode = listNode("removeFromList");
export const webhookNode = z.strictObject({ ...base, type: z.literal("webhook"), url: z.url().max(2_000), next });
export const exitNode = z.strictObject({ ...base, type: z.literal("exit") });

export const journeyNode = z.discriminatedUnion("type", [
  sendNode,
  waitNode,
  waitForEventNode,
  branchNode,
  randomSplitNode,
  updateContactNode,
  addToListNode,
  removeFromListNode,
  webhookNode,
  exitNode,
]);
export type JourneyNode = z.infer<typeof journeyNode>;

export const journeyTrigger = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("event"), eventName }),
  z.strictObject({ type: z.literal("segment"), segmentId: z.uuid() }),
  /**
   * A contact's date coming round (a birthday, the signup anniversary, an attribute's date) at a
   * local hour in its time zone: the date automations' planner and recipient query serve it,
   * and a contact enters once per year.
   */
  z.strictObject({
    type: z.literal("date"),
    dateField: z.string().refine((value) => parseDateField(value) !== null, DATE_FIELD_RULE),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).default(0),
  }),
]);
export type JourneyTrigger = z.infer<typeof journeyTrigger>;

export const journeyReentry = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("never") }),
  z.strictObject({ mode: z.literal("after"), days: z.number().int().positive().max(3_650) }),
  z.strictObject({ mode: z.literal("always") }),
]);
export type JourneyReentry = z.infer<typeof journeyReentry>;

/**
 * The whole graph. Steps are a list (the canvas adds positions of its own later, in `layout`);
 * `start` names the first one. Unknown step types fail the schema; validateJourneyGraph reports
 * them by step id as well, since the canvas saves drafts that need not parse strictly.
 */
export const journeyGraph = z.strictObject({
  trigger: journeyTrigger,
  reentry: journeyReentry.default({ mode: "never" }),
  goal: z.strictObject({ eventName }).nullable().default(null),
  start: nodeId.nullable().default(null),
  nodes: z.array(journeyNode).max(JOURNEY_MAX_NODES),
  /** Canvas-only data (positions): kept, never read by the run. */
  layout: z.record(z.string(), z.unknown()).optional(),
});
export type JourneyGraph = z.infer<typeof journeyGraph>;

/** A draft is any JSON object: the canvas saves half-built graphs; publishing is what validates. */
export const journeyDraft = z.record(z.string(), z.unknown());

export function durationMs(value: JourneyDuration): number {
  const unit = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[value.unit];
  return value.amount * unit;
}

/** Every exit of a step, with the label the timeline records as the branch taken. */
export function exitsOf(node: JourneyNode): { branch: string; next: string | null | undefined }[] {
  switch (node.type) {
    case "waitForEvent":
      return [
        { branch: "event", next: node.onEvent },
        { branch: "timeout", next: node.onTimeout },
      ];
    case "branch":
      return [
        { branch: "true", next: node.onTrue },
        { branch: "false", next: node.onFalse },
      ];
    case "randomSplit":
      return node.exits.map((exit, index) => ({ branch: `split-${index + 1}`, next: exit.next }));
    case "exit":
      return [];
    default:
      return [{ branch: "next", next: node.next }];
  }
}

export function nodeById(graph: Pick<JourneyGraph, "nodes">, id: string): JourneyNode | undefined {
  return graph.nodes.find((node) => node.id === id);
}

/** How a trigger reads in lists and on the journey's page. */
export function describeTrigger(trigger: JourneyTrigger): string {
  switch (trigger.type) {
    case "event":
      return `event “${trigger.eventName}”`;
    case "segment":
      return `entering segment ${trigger.segmentId}`;
    case "date": {
      const at = `${String(trigger.hour).padStart(2, "0")}:${String(trigger.minute).padStart(2, "0")}`;
      const field = trigger.dateField === "birthday" ? "birthday" : trigger.dateField === "created_at" ? "signup anniversary" : `date in ${trigger.dateField.slice("attribute:".length)}`;
      return `${field} at ${at} local time, once a year`;
    }
  }
}

/** A new journey's draft: an event trigger and no steps yet. */
export function emptyJourneyGraph(eventName = "signup"): JourneyGraph {
  return { trigger: { type: "event", eventName }, reentry: { mode: "never" }, goal: null, start: null, nodes: [] };
}

/** The steps in the order a reader follows them: breadth-first from the start, unreachable ones last. */
export function stepsInOrder(graph: Pick<JourneyGraph, "nodes" | "start">): JourneyNode[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const ordered: JourneyNode[] = [];
  const seen = new Set<string>();
  const queue = graph.start ? [graph.start] : [];
  while (queue.length > 0) {
    const node = byId.get(queue.shift()!);
    if (!node || seen.has(node.id)) continue;
    seen.add(node.id);
    ordered.push(node);
    for (const exit of exitsOf(node)) if (exit.next) queue.push(exit.next);
  }
  return [...ordered, ...graph.nodes.filter((node) => !seen.has(node.id))];
}

/** One line saying what a step does, for lists of steps. */
export function describeStep(node: JourneyNode): string {
  const exits = (pairs: [string, string | null | undefined][]) => pairs.map(([label, to]) => `${label} → ${to ?? "?"}`).join(", ");
  const span = (value: JourneyDuration) => `${value.amount} ${value.amount === 1 ? value.unit.slice(0, -1) : value.unit}`;
  switch (node.type) {
    case "send":
      return `Send ${node.channel} (template ${node.templateId.slice(0, 8)})${node.abTest ? `, A/B test of ${node.abTest.variants.length} variants by ${node.abTest.metric}` : ""} → ${node.next ?? "?"}`;
    case "wait":
      return `Wait ${node.duration ? span(node.duration) : `until ${node.untilLocalTime} local time`} → ${node.next ?? "?"}`;
    case "waitForEvent":
      return `Wait up to ${span(node.timeout)} for ${node.event === "custom" ? `event “${node.eventName}”` : node.event}: ${exits([["event", node.onEvent], ["timeout", node.onTimeout]])}`;
    case "branch":
      return `If ${node.condition}: ${exits([["true", node.onTrue], ["false", node.onFalse]])}`;
    case "randomSplit":
      return `Random split: ${exits(node.exits.map((exit) => [`weight ${exit.weight}`, exit.next]))}`;
    case "updateContact":
      return `Update contact (${Object.keys(node.attributes).join(", ")}) → ${node.next ?? "?"}`;
    case "addToList":
      return `Add to list ${node.listId.slice(0, 8)} → ${node.next ?? "?"}`;
    case "removeFromList":
      return `Remove from list ${node.listId.slice(0, 8)} → ${node.next ?? "?"}`;
    case "webhook":
      return `Call webhook ${new URL(node.url).host} → ${node.next ?? "?"}`;
    case "exit":
      return "Exit";
  }
}
