import { Environment } from "@marcbachmann/cel-js";

/**
 * Branch conditions: CEL over `contact` (the contact's fields and `attributes`), `event` (the
 * trigger's name and properties) and `journey` (values recorded on the way: `journey.opened`,
 * `journey.clicked`, `journey.event`). cel-js is a pure evaluator (no I/O, bounded), so
 * conditions are safe to run on user input.
 */
const env = new Environment({ unlistedVariablesAreDyn: true, limits: { maxAstNodes: 500 } });

/** Why `expression` is not CEL, or null. */
export function celIssue(expression: string): string | null {
  try {
    env.parse(expression);
    return null;
  } catch (error) {
    return `not a valid CEL expression: ${(error as Error).message.split("\n")[0]}`;
  }
}

export type ConditionContext = { contact: Record<string, unknown>; event: Record<string, unknown>; journey: Record<string, unknown> };

/**
 * True only when the condition evaluates to true. An error (a missing attribute compared, a type
 * mismatch) is false, with the reason, so a contact lacking data takes the `false` exit rather
 * than failing the enrollment.
 */
export function evaluateCondition(expression: string, context: ConditionContext): { value: boolean; error: string | null } {
  try {
    return { value: env.evaluate(expression, toCel(context) as Record<string, unknown>) === true, error: null };
  } catch (error) {
    return { value: false, error: (error as Error).message.split("\n")[0] ?? "evaluation failed" };
  }
}

/** JSON to CEL values: whole numbers become ints (so `contact.attributes.orders > 2` works), others stay as they are. */
function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === "object" && !(value instanceof Date)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toCel(item)]));
  return value;
}
