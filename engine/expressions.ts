import { Environment } from "@marcbachmann/cel-js";

/**
 * Inngest's expressions treat an attribute missing from the data as null instead of failing
 * (pkg/expressions/expressions.go: "Attributes that are present within the expression but missing
 * from the data should be treated as null values; the expression must not error"), and a null
 * operand of an ordering comparison as its type's zero value, `size(null)` as 0
 * (pkg/expressions/unknown.go). cel-js throws on both, so: every attribute path the expression
 * reads that the data lacks is filled with null before evaluating, and the null overloads are
 * registered here, with `+`, which yields the other operand.
 */
const env = new Environment({ unlistedVariablesAreDyn: true });
env.registerFunction("size(null): int", () => 0n);
const ORDER = { "<": (a: never, b: never) => a < b, "<=": (a: never, b: never) => a <= b, ">": (a: never, b: never) => a > b, ">=": (a: never, b: never) => a >= b };
const ZERO = { int: 0n, double: 0, string: "" } as const;
for (const [op, cmp] of Object.entries(ORDER))
  for (const [type, zero] of Object.entries(ZERO)) {
    env.registerOperator(`null ${op} ${type}`, (_: unknown, b: unknown) => cmp(zero as never, b as never));
    env.registerOperator(`${type} ${op} null`, (a: unknown) => cmp(a as never, zero as never));
  }
// `"order-" + event.data.missing` is "order-": Inngest's `+` with an absent operand yields the other one.
for (const type of Object.keys(ZERO)) {
  env.registerOperator(`null + ${type}`, (_: unknown, b: unknown) => b);
  env.registerOperator(`${type} + null`, (a: unknown) => a);
}

interface Node {
  op: string;
  args: unknown;
}
type Compiled = { run: (ctx: Record<string, unknown>) => unknown; paths: string[][] };

const compiled = new Map<string, Compiled | null>();
const MAX_COMPILED = 10_000;

/** Attribute paths (`event.data.a.b` → ["event", "data", "a", "b"]) read by the expression, outside `has()`. */
function attributePaths(node: unknown, out: string[][] = []): string[][] {
  if (!node || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    for (const n of node) attributePaths(n, out);
    return out;
  }
  const { op, args } = node as Node;
  const path = attributePath(node as Node);
  if (path) out.push(path);
  else if (op === "call" && Array.isArray(args) && args[0] === "has") return out; // has() asks about presence itself
  else attributePaths(args, out);
  return out;
}

function attributePath(node: Node): string[] | undefined {
  if (node.op === "id" && typeof node.args === "string") return [node.args];
  if (!Array.isArray(node.args)) return undefined;
  const [target, key] = node.args as [Node, unknown];
  let name: unknown = key;
  if (node.op === "[]") name = (key as Node | undefined)?.op === "value" ? (key as Node).args : undefined;
  else if (node.op !== ".") return undefined;
  if (typeof name !== "string" || !target || typeof target !== "object") return undefined;
  const base = attributePath(target);
  return base && [...base, name];
}

function compile(expr: string): Compiled | null {
  if (compiled.has(expr)) return compiled.get(expr)!;
  let c: Compiled | null = null;
  try {
    const parsed = env.parse(expr) as ((ctx: Record<string, unknown>) => unknown) & { ast: unknown };
    c = { run: parsed, paths: attributePaths(parsed.ast).filter((p) => p.length > 1) };
  } catch {
    c = null; // a syntax error evaluates as "no value", every time
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(expr, c);
  return c;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** `ctx` with null at every path the data lacks; objects on those paths are copied, never mutated. */
function withAbsentAsNull(ctx: Record<string, unknown>, paths: string[][]): Record<string, unknown> {
  let root = ctx;
  for (const path of paths) {
    if (!isRecord(root[path[0]!])) continue; // a macro's variable (`t` in exists(t, …)), not data
    let holder = (root = root === ctx ? { ...ctx } : root);
    for (let i = 1; i < path.length; i++) {
      const parentKey = path[i - 1]!;
      const parent = holder[parentKey];
      if (!isRecord(parent)) break; // a value (or a null) on the way: CEL decides what reading it means
      const copy = { ...parent };
      holder[parentKey] = copy;
      holder = copy;
      if (!(path[i]! in copy) || copy[path[i]!] === undefined) {
        // Missing in the middle of a path: an empty map below, so the deeper reads find null too.
        copy[path[i]!] = i === path.length - 1 ? null : {};
      }
    }
  }
  return root;
}

/** CEL returns integer literals as BigInt; the engine and JSON want plain numbers. */
export function normalize(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/** Evaluates an Inngest expression; absent attributes read as null; other errors (type mismatches) count as "no value". */
export function evalExpr(expr: string, ctx: Record<string, unknown>): unknown {
  const c = compile(expr);
  if (!c) return undefined;
  try {
    return normalize(c.run(c.paths.length ? withAbsentAsNull(ctx, c.paths) : ctx));
  } catch {
    return undefined;
  }
}

/** Boolean filters (`if`, `cancelOn`, `waitForEvent`): any error or non-true result is false. */
export function evalBool(expr: string | undefined, ctx: Record<string, unknown>): boolean {
  if (!expr) return true;
  return evalExpr(expr, ctx) === true;
}

const keyOf = (v: unknown): string => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** Key expressions (concurrency, throttle, debounce…) become strings; a null or failed evaluation keys as "". */
export function evalKey(expr: string | undefined, ctx: Record<string, unknown>): string {
  return expr ? keyOf(evalExpr(expr, ctx)) : "";
}

/**
 * The key of a rate limit, or null when the event is exempt: a key that evaluates to false lets the
 * event through as if no limit were set, as Inngest answers ErrNotRateLimited for it
 * (pkg/execution/ratelimit/ratelimit.go, RateLimitKey). Its idempotency key is such a rate limit
 * (one per 24 h), so the same holds there.
 */
export function limitKey(expr: string | undefined, ctx: Record<string, unknown>): string | null {
  if (!expr) return "";
  const v = evalExpr(expr, ctx);
  return v === false ? null : keyOf(v);
}
