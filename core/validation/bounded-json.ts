import { z } from "zod";
import { formatBytes } from "@/core/text/format-bytes";

/** Caps on one free-form JSON input: how deep objects and arrays may nest, and its size as JSON. */
export type JsonLimits = { maxDepth: number; maxBytes: number };

/**
 * True when objects and arrays nest more than `maxDepth` deep (`{}` is 1, `{"a": []}` is 2).
 * A loop with its own stack that stops at the first node past the limit: JSON.stringify, zod's
 * recursive schemas and every other recursive walker overflow the call stack on input nested
 * a few thousand deep, which JSON.parse accepts.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/**
 * Free-form JSON from a client (notification data, contact attributes, template sample data,
 * segment filters), checked for depth before anything recursive sees it and then for size.
 * Issues land on the field itself, so a 400 names it. Pipe the result into the field's own
 * schema (`boundedJson(limits).pipe(z.record(...))`).
 */
export function boundedJson(limits: JsonLimits) {
  return z.unknown().superRefine((value, ctx) => {
    if (nestsDeeperThan(value, limits.maxDepth)) {
      ctx.addIssue({ code: "custom", message: `may nest objects and arrays at most ${limits.maxDepth} levels deep`, abort: true });
      return;
    }
    // Safe now: the depth is bounded, so stringify cannot overflow.
    if (value !== undefined && Buffer.byteLength(JSON.stringify(value)) > limits.maxBytes) {
      ctx.addIssue({ code: "custom", message: `may be at most ${formatBytes(limits.maxBytes)} as JSON`, abort: true });
    }
  });
}

/** What the API reference says of a bounded JSON input (its schema alone would show `{}`). */
export function boundedJsonRule(limits: JsonLimits): string {
  return `at most ${formatBytes(limits.maxBytes)} as JSON, nested at most ${limits.maxDepth} levels deep`;
}

/** A JSON object of any shape within the limits: template data, sample data. */
export function boundedJsonObject(limits: JsonLimits) {
  return boundedJson(limits)
    .pipe(z.record(z.string(), z.json()))
    .meta({ type: "object", description: `A JSON object, ${boundedJsonRule(limits)}` });
}
