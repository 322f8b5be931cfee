import { z } from "zod";
import { CHANNEL_LABELS, SUBJECT_RULE } from "@/core/messages/channels";
import { celIssue } from "./condition";
import { exitsOf, JOURNEY_MAX_NODES, JOURNEY_NODE_TYPES, journeyGraph, journeyNode, type JourneyGraph, type JourneyNode } from "./graph";

/** One reason a graph cannot be published; `nodeId` points the canvas at the step (null: the journey itself). */
export type JourneyGraphError = { nodeId: string | null; field: string | null; message: string };

export type JourneyGraphCheck = { ok: true; graph: JourneyGraph } | { ok: false; errors: JourneyGraphError[] };

export type ValidateOptions = {
  /** Plain-http webhook URLs allowed (development and tests); production requires https. */
  allowHttpWebhooks?: boolean;
};

const WAITING: ReadonlySet<JourneyNode["type"]> = new Set(["wait", "waitForEvent"]);

const path = (issue: z.core.$ZodIssue) => (issue.path.length > 0 ? issue.path.join(".") : null);

/**
 * Checks a draft for publishing. Every error names the step it is about, so the canvas can point
 * at it: an unknown step type, a step's missing or bad settings, a duplicate id, an exit leading
 * nowhere (dangling), a step no path from the start reaches (orphan), a loop with no wait in it
 * (it would spin through sends without pause), a condition that is not CEL, an open/click wait
 * with no send before it. References to templates and lists are checked by the caller, which has
 * the database (lib/journeys).
 */
export function validateJourneyGraph(draft: unknown, options: ValidateOptions = {}): JourneyGraphCheck {
  const errors: JourneyGraphError[] = [];
  if (!draft || typeof draft !== "object" || Array.isArray(draft)) return { ok: false, errors: [{ nodeId: null, field: null, message: "the graph must be an object" }] };
  const raw = draft as Record<string, unknown>;
  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  if (!Array.isArray(raw.nodes)) errors.push({ nodeId: null, field: "nodes", message: "must be a list of steps" });
  if (rawNodes.length > JOURNEY_MAX_NODES) errors.push({ nodeId: null, field: "nodes", message: `at most ${JOURNEY_MAX_NODES} steps` });

  const nodes: JourneyNode[] = [];
  const seen = new Set<string>();
  rawNodes.forEach((rawNode, index) => {
    const value = (rawNode ?? {}) as Record<string, unknown>;
    const id = typeof value.id === "string" ? value.id : null;
    const nodeId = id ?? `#${index + 1}`;
    if (id && seen.has(id)) errors.push({ nodeId: id, field: "id", message: "another step has the same id" });
    if (id) seen.add(id);
    if (!JOURNEY_NODE_TYPES.includes(value.type as never)) {
      errors.push({ nodeId, field: "type", message: `unknown step type ${JSON.stringify(value.type ?? null)}` });
      return;
    }
    const parsed = journeyNode.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ nodeId, field: path(issue), message: issue.message });
      return;
    }
    nodes.push(parsed.data);
  });

  const { nodes: _nodes, ...rest } = raw;
  const top = journeyGraph.omit({ nodes: true }).safeParse(rest);
  if (!top.success) for (const issue of top.error.issues) errors.push({ nodeId: null, field: path(issue), message: issue.message });

  const byId = new Map(nodes.map((node) => [node.id, node]));
  const known = (id: string) => byId.has(id) || seen.has(id);
  for (const node of nodes) errors.push(...settingsErrors(node, options));
  for (const node of nodes)
    if (node.type === "waitForEvent" && node.sendNodeId && byId.get(node.sendNodeId)?.type !== "send")
      errors.push({ nodeId: node.id, field: "sendNodeId", message: `${node.sendNodeId} is not a send step of this journey` });
  for (const node of nodes)
    for (const exit of exitsOf(node)) {
      if (!exit.next) errors.push({ nodeId: node.id, field: exit.branch, message: `the ${exit.branch} exit leads nowhere: connect it to a step (or an exit step)` });
      else if (!known(exit.next)) errors.push({ nodeId: node.id, field: exit.branch, message: `the ${exit.branch} exit leads to a step that does not exist (${exit.next})` });
    }

  const start = top.success ? top.data.start : null;
  if (rawNodes.length === 0) errors.push({ nodeId: null, field: "nodes", message: "a journey needs at least one step" });
  else if (!start) errors.push({ nodeId: null, field: "start", message: "choose the first step" });
  else if (!known(start)) errors.push({ nodeId: null, field: "start", message: `the first step does not exist (${start})` });

  if (start && byId.has(start)) {
    const reached = reachable(start, byId, () => true);
    for (const node of nodes) if (!reached.has(node.id)) errors.push({ nodeId: node.id, field: null, message: "no path from the start reaches this step (orphan)" });
    // Open/click waits default to the previous send on the path: every path must have one.
    const beforeAnySend = reachable(start, byId, (node) => node.type !== "send");
    for (const node of nodes)
      if (node.type === "waitForEvent" && node.event !== "custom" && !node.sendNodeId && beforeAnySend.has(node.id))
        errors.push({ nodeId: node.id, field: "sendNodeId", message: `a path reaches this wait with no send before it: which message's ${node.event} should it wait for?` });
  }
  for (const id of cycleWithoutWait(byId)) errors.push({ nodeId: id, field: null, message: "this step is in a loop with no wait: add a wait step to the loop" });

  if (errors.length > 0 || !top.success) return { ok: false, errors };
  return { ok: true, graph: { ...top.data, nodes } };
}

function settingsErrors(node: JourneyNode, options: ValidateOptions): JourneyGraphError[] {
  const errors: JourneyGraphError[] = [];
  const error = (field: string | null, message: string) => errors.push({ nodeId: node.id, field, message });
  switch (node.type) {
    case "wait":
      if (Boolean(node.duration) === Boolean(node.untilLocalTime)) error("duration", "give either a duration or a local time to wait until");
      break;
    case "waitForEvent":
      if (node.event === "custom" && !node.eventName) error("eventName", "name the event to wait for");
      if (node.event !== "custom" && node.eventName) error("eventName", "only for a custom event");
      break;
    case "branch": {
      const issue = celIssue(node.condition);
      if (issue) error("condition", issue);
      break;
    }
    case "webhook": {
      const url = new URL(node.url);
      if (url.protocol !== "https:" && !(options.allowHttpWebhooks && url.protocol === "http:")) error("url", "must be an https URL");
      break;
    }
    case "updateContact":
      if (Object.keys(node.attributes).length === 0) error("attributes", "set at least one attribute");
      break;
    case "send":
      if (node.abTest) errors.push(...abTestErrors(node));
      break;
  }
  return errors;
}

/** What the A/B test's schema cannot say: the goal's event, and variants that fit the step's channel and change something. */
function abTestErrors(node: Extract<JourneyNode, { type: "send" }>): JourneyGraphError[] {
  const test = node.abTest!;
  const errors: JourneyGraphError[] = [];
  const error = (field: string, message: string) => errors.push({ nodeId: node.id, field: `abTest.${field}`, message });
  if (test.metric === "goal" && !test.goalEvent) error("goalEvent", "name the goal event a conversion is");
  if (test.metric !== "goal" && test.goalEvent) error("goalEvent", "only for the goal metric");
  test.variants.forEach((variant, index) => {
    const at = `variants.${index}`;
    if (Object.values(variant).every((value) => value === undefined)) error(at, "must change the template, the subject, the sender or the send time");
    if (variant.subject !== undefined && SUBJECT_RULE[node.channel] === "none") error(`${at}.subject`, `${CHANNEL_LABELS[node.channel]} has no subject`);
    // The address itself is checked at publish (lib/journeys/manage-journey.ts).
    if (variant.from !== undefined && node.channel !== "email") error(`${at}.from`, "only email steps can change the sender");
  });
  return errors;
}

/** Steps reachable from `start`, following exits only out of steps for which `through` holds. */
function reachable(start: string, byId: Map<string, JourneyNode>, through: (node: JourneyNode) => boolean): Set<string> {
  const reached = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    const node = byId.get(id);
    if (!node) continue;
    reached.add(id);
    if (!through(node)) continue;
    for (const exit of exitsOf(node)) if (exit.next) stack.push(exit.next);
  }
  return reached;
}

/** The steps of loops made only of steps that do not wait (Tarjan's strongly connected components). */
function cycleWithoutWait(byId: Map<string, JourneyNode>): string[] {
  const instant = [...byId.values()].filter((node) => !WAITING.has(node.type));
  const edges = (node: JourneyNode) =>
    exitsOf(node)
      .map((exit) => exit.next)
      .filter((id): id is string => Boolean(id) && Boolean(byId.get(id!)) && !WAITING.has(byId.get(id!)!.type));
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const looping: string[] = [];
  const visit = (node: JourneyNode) => {
    index.set(node.id, counter);
    low.set(node.id, counter++);
    stack.push(node.id);
    onStack.add(node.id);
    for (const to of edges(node)) {
      if (!index.has(to)) {
        visit(byId.get(to)!);
        low.set(node.id, Math.min(low.get(node.id)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node.id, Math.min(low.get(node.id)!, index.get(to)!));
    }
    if (low.get(node.id) === index.get(node.id)) {
      const component: string[] = [];
      let id: string;
      do {
        id = stack.pop()!;
        onStack.delete(id);
        component.push(id);
      } while (id !== node.id);
      const selfLoop = component.length === 1 && edges(node).includes(node.id);
      if (component.length > 1 || selfLoop) looping.push(...component.reverse());
    }
  };
  for (const node of instant) if (!index.has(node.id)) visit(node);
  return looping;
}

/** What a graph refers to outside itself, by step and field: the caller checks they exist in the workspace. */
export function journeyReferences(graph: JourneyGraph): { nodeId: string; field: string; kind: "template" | "list"; id: string; channel?: string }[] {
  const references: { nodeId: string; field: string; kind: "template" | "list"; id: string; channel?: string }[] = [];
  for (const node of graph.nodes) {
    if (node.type === "send") {
      references.push({ nodeId: node.id, field: "templateId", kind: "template", id: node.templateId, channel: node.channel });
      node.abTest?.variants.forEach((variant, index) => {
        if (variant.templateId) references.push({ nodeId: node.id, field: `abTest.variants.${index}.templateId`, kind: "template", id: variant.templateId, channel: node.channel });
      });
    }
    if (node.type === "addToList" || node.type === "removeFromList") references.push({ nodeId: node.id, field: "listId", kind: "list", id: node.listId });
  }
  return references;
}
