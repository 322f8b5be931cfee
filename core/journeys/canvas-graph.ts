import { JOURNEY_NODE_TYPES, type JourneyNodeType } from "./graph";

/**
 * The canvas's view of a journey draft (issue 17): the draft stays the one source of truth, and
 * every edit on the canvas is a pure function from draft to draft, so undo/redo is a stack of
 * drafts and what the canvas shows is always what is saved. Flow nodes and edges are derived
 * (draftToFlow) in the shapes React Flow takes, without importing it: core stays pure.
 */

type Draft = Record<string, unknown>;
type Step = Record<string, unknown> & { id: string; type?: unknown };

/** The trigger's node on the canvas; `@` cannot appear in a step id, so it never collides. */
export const TRIGGER_NODE_ID = "@trigger";
/** The trigger's one exit: it leads to the draft's `start`. */
export const TRIGGER_HANDLE = "start";

export type CanvasPosition = { x: number; y: number };
export type FlowNode = { id: string; type: "trigger" | "step"; position: CanvasPosition; data: { step: Step | null; handles: string[] } };
export type FlowEdge = { id: string; source: string; sourceHandle: string; target: string; label?: string };

/** Spacing of the automatic layout of steps the canvas has no position for (drafts made through the API). */
const COLUMN_PX = 260;
const ROW_PX = 150;

export function draftSteps(draft: Draft): Step[] {
  return Array.isArray(draft.nodes) ? (draft.nodes as unknown[]).filter((node): node is Step => !!node && typeof node === "object" && typeof (node as Step).id === "string") : [];
}

/** The exits of a step, by the handle names the timeline also records (`next`, `true`/`false`, `event`/`timeout`, `split-N`). */
export function stepHandles(step: Step): string[] {
  switch (step.type) {
    case "exit":
      return [];
    case "branch":
      return ["true", "false"];
    case "waitForEvent":
      return ["event", "timeout"];
    case "randomSplit":
      return (Array.isArray(step.exits) ? step.exits : []).map((_, index) => `split-${index + 1}`);
    default:
      return ["next"];
  }
}

const FIELD_OF_HANDLE: Record<string, string> = { next: "next", true: "onTrue", false: "onFalse", event: "onEvent", timeout: "onTimeout" };

function splitIndex(handle: string): number | null {
  const match = /^split-(\d+)$/.exec(handle);
  return match ? Number(match[1]) - 1 : null;
}

/** Where an exit of a step leads (null: nowhere yet). */
export function exitTarget(step: Step, handle: string): string | null {
  const index = splitIndex(handle);
  if (index !== null) {
    const exit = Array.isArray(step.exits) ? (step.exits[index] as Record<string, unknown> | undefined) : undefined;
    return typeof exit?.next === "string" ? exit.next : null;
  }
  const field = FIELD_OF_HANDLE[handle];
  const value = field ? step[field] : null;
  return typeof value === "string" ? value : null;
}

function withExit(step: Step, handle: string, target: string | null): Step {
  const index = splitIndex(handle);
  if (index !== null) {
    const exits = (Array.isArray(step.exits) ? step.exits : []).map((exit, at) => (at === index ? { ...(exit as Draft), next: target } : exit));
    return { ...step, exits };
  }
  const field = FIELD_OF_HANDLE[handle];
  return field ? { ...step, [field]: target } : step;
}

function layoutOf(draft: Draft): Record<string, CanvasPosition> {
  const layout = draft.layout;
  if (!layout || typeof layout !== "object" || Array.isArray(layout)) return {};
  const positions: Record<string, CanvasPosition> = {};
  for (const [id, value] of Object.entries(layout as Draft)) {
    const { x, y } = (value ?? {}) as Record<string, unknown>;
    if (typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y)) positions[id] = { x, y };
  }
  return positions;
}

/** Rows by distance from the start (breadth-first), unreachable steps on a last row: a readable first picture. */
function automaticPositions(draft: Draft, steps: Step[]): Record<string, CanvasPosition> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const depth = new Map<string, number>();
  const queue: string[] = typeof draft.start === "string" && byId.has(draft.start) ? [draft.start] : [];
  if (queue[0]) depth.set(queue[0], 1);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const handle of stepHandles(byId.get(id)!)) {
      const target = exitTarget(byId.get(id)!, handle);
      if (target && byId.has(target) && !depth.has(target)) {
        depth.set(target, depth.get(id)! + 1);
        queue.push(target);
      }
    }
  }
  const lastRow = Math.max(0, ...depth.values()) + 1;
  const perRow = new Map<number, number>();
  const positions: Record<string, CanvasPosition> = { [TRIGGER_NODE_ID]: { x: 0, y: 0 } };
  for (const step of steps) {
    const row = depth.get(step.id) ?? lastRow;
    const column = perRow.get(row) ?? 0;
    perRow.set(row, column + 1);
    positions[step.id] = { x: column * COLUMN_PX, y: row * ROW_PX };
  }
  return positions;
}

/** The trigger and every step as nodes, every connected exit as an edge (id `source:handle`). */
export function draftToFlow(draft: Draft): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const steps = draftSteps(draft);
  const saved = layoutOf(draft);
  const automatic = automaticPositions(draft, steps);
  const position = (id: string) => saved[id] ?? automatic[id] ?? { x: 0, y: 0 };
  const ids = new Set(steps.map((step) => step.id));
  const nodes: FlowNode[] = [
    { id: TRIGGER_NODE_ID, type: "trigger", position: position(TRIGGER_NODE_ID), data: { step: null, handles: [TRIGGER_HANDLE] } },
    ...steps.map((step): FlowNode => ({ id: step.id, type: "step", position: position(step.id), data: { step, handles: stepHandles(step) } })),
  ];
  const edges: FlowEdge[] = [];
  if (typeof draft.start === "string" && ids.has(draft.start)) edges.push({ id: `${TRIGGER_NODE_ID}:${TRIGGER_HANDLE}`, source: TRIGGER_NODE_ID, sourceHandle: TRIGGER_HANDLE, target: draft.start });
  for (const step of steps)
    for (const handle of stepHandles(step)) {
      const target = exitTarget(step, handle);
      if (target && ids.has(target)) edges.push({ id: `${step.id}:${handle}`, source: step.id, sourceHandle: handle, target, ...(handle === "next" ? {} : { label: handle }) });
    }
  return { nodes, edges };
}

function mapSteps(draft: Draft, change: (step: Step) => Step): Draft {
  return { ...draft, nodes: draftSteps(draft).map(change) };
}

/** Connects an exit (or the trigger) to a step; an exit leads to one step, so this replaces what it led to. */
export function connectExit(draft: Draft, source: string, handle: string, target: string | null): Draft {
  if (source === target) return draft;
  if (source === TRIGGER_NODE_ID) return { ...draft, start: target };
  return mapSteps(draft, (step) => (step.id === source ? withExit(step, handle, target) : step));
}

/** Removes steps, their positions, and every exit (and the start) that led to them. */
export function removeSteps(draft: Draft, ids: readonly string[]): Draft {
  const gone = new Set(ids.filter((id) => id !== TRIGGER_NODE_ID));
  if (gone.size === 0) return draft;
  const nodes = draftSteps(draft)
    .filter((step) => !gone.has(step.id))
    .map((step) => stepHandles(step).reduce((current, handle) => (gone.has(exitTarget(current, handle) ?? "") ? withExit(current, handle, null) : current), step));
  const layout = Object.fromEntries(Object.entries(layoutOf(draft)).filter(([id]) => !gone.has(id)));
  return { ...draft, nodes, layout, start: typeof draft.start === "string" && gone.has(draft.start) ? null : (draft.start ?? null) };
}

/** Settings a new step starts with: what the schema needs, left for the side panel to fill in (validation says what is missing). */
export function newStepSettings(type: JourneyNodeType): Draft {
  const day = { amount: 1, unit: "days" };
  switch (type) {
    case "send":
      return { channel: "email", templateId: "" };
    case "wait":
      return { duration: day };
    case "waitForEvent":
      return { event: "opened", timeout: { amount: 2, unit: "days" } };
    case "branch":
      return { condition: "" };
    case "randomSplit":
      return { exits: [{ weight: 50 }, { weight: 50 }] };
    case "updateContact":
      return { attributes: {} };
    case "addToList":
    case "removeFromList":
      return { listId: "" };
    case "webhook":
      return { url: "" };
    case "exit":
      return {};
  }
}

/** A fresh id for a new step of this type (`send-2`), unique in the draft. */
export function newStepId(draft: Draft, type: JourneyNodeType): string {
  const taken = new Set(draftSteps(draft).map((step) => step.id));
  const prefix = type.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  for (let n = 1; ; n++) if (!taken.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/** Adds a step at a position; the first step of an empty journey becomes its start. */
export function addStep(draft: Draft, type: JourneyNodeType, position: CanvasPosition): { draft: Draft; id: string } {
  if (!JOURNEY_NODE_TYPES.includes(type)) throw new Error(`unknown step type ${type}`);
  const id = newStepId(draft, type);
  const steps = draftSteps(draft);
  const next: Draft = { ...draft, nodes: [...steps, { id, type, ...newStepSettings(type) }], layout: { ...layoutOf(draft), [id]: position } };
  if (steps.length === 0 && !draft.start) next.start = id;
  return { draft: next, id };
}

/** Replaces a step's settings (never its id or type, which the canvas's identity hangs on). */
export function updateStep(draft: Draft, id: string, settings: Draft): Draft {
  return mapSteps(draft, (step) => (step.id === id ? { ...settings, id: step.id, type: step.type } : step));
}

/** Records where steps were dropped. */
export function moveSteps(draft: Draft, positions: Record<string, CanvasPosition>): Draft {
  const rounded = Object.fromEntries(Object.entries(positions).map(([id, { x, y }]) => [id, { x: Math.round(x), y: Math.round(y) }]));
  return { ...draft, layout: { ...layoutOf(draft), ...rounded } };
}
