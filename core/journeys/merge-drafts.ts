/**
 * Three-way merge of journey drafts (issue 17, the canvas): two people saved on the same base
 * revision. Steps are matched by id, and each top-level setting (trigger, re-entry, goal, start)
 * is one unit: a unit only one side changed takes that side; a unit both changed the same way
 * takes it once; a unit both changed differently is a conflict, named so the editor can say
 * which step. Canvas positions (`layout`) never conflict: a position is cosmetic, the later
 * save's wins. Pure: the caller has loaded the three drafts.
 */

type Draft = Record<string, unknown>;
type Step = Record<string, unknown> & { id: string };

export type DraftConflict = { nodeId: string | null; field: string | null; message: string };
export type DraftMerge = { ok: true; draft: Draft } | { ok: false; conflicts: DraftConflict[] };

/** The settings merged as one unit each; anything else at the top level (the name of a future key) too. */
const NODES = "nodes";
const LAYOUT = "layout";

/** Key order does not matter to equality: jsonb reorders keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === undefined ? b === undefined : false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, index) => sameJson(value, other[index]));
  }
  const left = Object.entries(a as Draft).filter(([, value]) => value !== undefined);
  const right = Object.entries(b as Draft).filter(([, value]) => value !== undefined);
  return left.length === right.length && left.every(([key, value]) => sameJson(value, (b as Draft)[key]));
}

function steps(draft: Draft): Step[] {
  return Array.isArray(draft[NODES]) ? (draft[NODES] as unknown[]).filter((node): node is Step => !!node && typeof node === "object" && typeof (node as Step).id === "string") : [];
}

function record(value: unknown): Draft {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Draft) : {};
}

type Pick3<T> = { ok: true; value: T | undefined } | { ok: false };

/** One unit's merge: undefined is "absent" (a deleted step, an unset setting). */
function mergeUnit<T>(base: T | undefined, mine: T | undefined, theirs: T | undefined): Pick3<T> {
  if (sameJson(mine, theirs)) return { ok: true, value: mine };
  if (sameJson(mine, base)) return { ok: true, value: theirs };
  if (sameJson(theirs, base)) return { ok: true, value: mine };
  return { ok: false };
}

function stepLabel(step: Step | undefined, id: string): string {
  const label = step && typeof step.label === "string" && step.label.trim() ? step.label.trim() : null;
  return label ? `“${label}” (${id})` : id;
}

/**
 * Merges `mine` (the save being made, based on `base`) into `theirs` (the current draft). Steps
 * keep the current draft's order, with steps only `mine` added appended in its order.
 */
export function mergeJourneyDrafts(base: Draft, mine: Draft, theirs: Draft): DraftMerge {
  const conflicts: DraftConflict[] = [];
  const merged: Draft = {};

  const keys = new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)].filter((key) => key !== NODES && key !== LAYOUT));
  for (const key of keys) {
    const unit = mergeUnit(base[key], mine[key], theirs[key]);
    if (!unit.ok) conflicts.push({ nodeId: null, field: key, message: `both changed the journey's ${key === "start" ? "first step" : key}` });
    else if (unit.value !== undefined) merged[key] = unit.value;
  }

  const baseSteps = new Map(steps(base).map((step) => [step.id, step]));
  const mineSteps = new Map(steps(mine).map((step) => [step.id, step]));
  const theirSteps = new Map(steps(theirs).map((step) => [step.id, step]));
  const order = [...theirSteps.keys(), ...[...mineSteps.keys()].filter((id) => !theirSteps.has(id))];
  for (const id of baseSteps.keys()) if (!order.includes(id)) order.push(id);
  const nodes: Step[] = [];
  for (const id of order) {
    const [was, mineNow, theirsNow] = [baseSteps.get(id), mineSteps.get(id), theirSteps.get(id)];
    const unit = mergeUnit(was, mineNow, theirsNow);
    if (!unit.ok) {
      const step = mineNow ?? theirsNow ?? was;
      const what = !mineNow ? "you deleted the step they changed" : !theirsNow ? "they deleted the step you changed" : "both of you changed it";
      conflicts.push({ nodeId: id, field: null, message: `step ${stepLabel(step, id)}: ${what}` });
    } else if (unit.value) nodes.push(unit.value);
  }
  if (Array.isArray(mine[NODES]) || Array.isArray(theirs[NODES])) merged[NODES] = nodes;

  // Positions follow the steps that survived; for each, the side that moved it (mine when both did).
  const [baseLayout, mineLayout, theirLayout] = [record(base[LAYOUT]), record(mine[LAYOUT]), record(theirs[LAYOUT])];
  const layout: Draft = {};
  for (const id of new Set([...Object.keys(theirLayout), ...Object.keys(mineLayout)])) {
    const unit = mergeUnit(baseLayout[id], mineLayout[id], theirLayout[id]);
    const value = unit.ok ? unit.value : mineLayout[id];
    if (value !== undefined) layout[id] = value;
  }
  if (mine[LAYOUT] !== undefined || theirs[LAYOUT] !== undefined) merged[LAYOUT] = layout;

  return conflicts.length > 0 ? { ok: false, conflicts } : { ok: true, draft: merged };
}
