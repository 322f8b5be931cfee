import type { z } from "zod";
import { fieldIssueMessage } from "@/lib/api/field-issue-message";
import { param, type SearchParams } from "./search-params";

/**
 * Reads a dashboard page's analytics filters with the API's own schema: the parsed query, or
 * the empty one (defaults) plus the problems to show, so a mistyped zone never breaks the page.
 */
export function readAnalyticsQuery<S extends z.ZodType>(schema: S, query: SearchParams, names: readonly string[]): { data: z.infer<S>; problems: string[] } {
  const input = Object.fromEntries(names.flatMap((name) => (param(query, name) ? [[name, param(query, name)]] : [])));
  const parsed = schema.safeParse(input, { error: fieldIssueMessage });
  if (parsed.success) return { data: parsed.data, problems: [] };
  const fallback = schema.safeParse({});
  return { data: (fallback.success ? fallback.data : {}) as z.infer<S>, problems: parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) };
}
