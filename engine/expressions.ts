import { evaluate } from "@marcbachmann/cel-js";

/** CEL returns integer literals as BigInt; the engine and JSON want plain numbers. */
export function normalize(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Evaluates an Inngest expression; evaluation errors (missing keys, type mismatches) count as "no value". */
export function evalExpr(expr: string, ctx: Record<string, unknown>): unknown {
  try {
    return normalize(evaluate(expr, ctx));
  } catch {
    return undefined;
  }
}

/** Boolean filters (`if`, `cancelOn`, `waitForEvent`): any error or non-true result is false. */
export function evalBool(expr: string | undefined, ctx: Record<string, unknown>): boolean {
  if (!expr) return true;
  return evalExpr(expr, ctx) === true;
}

/** Key expressions (concurrency, throttle, debounce…) become strings; a failed evaluation keys as "". */
export function evalKey(expr: string | undefined, ctx: Record<string, unknown>): string {
  if (!expr) return "";
  const v = evalExpr(expr, ctx);
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
