import { z } from "zod";
import type { RunStatus } from "./types";

/**
 * The shapes the engine's HTTP API accepts. Whatever does not parse is answered with 400 and
 * the first problem, never passed on to code that would fail later with a 500.
 */

const RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const satisfies readonly RunStatus[];

export const eventsBody = z.union([
  z.array(z.looseObject({ name: z.string().min(1), data: z.record(z.string(), z.unknown()).optional(), id: z.string().optional(), ts: z.number().optional() })),
  z.looseObject({ name: z.string().min(1), data: z.record(z.string(), z.unknown()).optional(), id: z.string().optional(), ts: z.number().optional() }),
]);

const stepConfig = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  runtime: z.looseObject({ type: z.string(), url: z.string() }),
  retries: z.looseObject({ attempts: z.number().int().min(0).optional() }).optional(),
});

const trigger = z.union([z.looseObject({ event: z.string().min(1), expression: z.string().optional() }), z.looseObject({ cron: z.string().min(1) })]);

export const functionConfig = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z.array(trigger),
  steps: z.record(z.string(), stepConfig),
});

export const registerBody = z.looseObject({
  url: z.string().min(1),
  appName: z.string().optional(),
  functions: z.array(functionConfig),
});

export const checkpointBody = z.looseObject({
  steps: z.array(z.looseObject({ id: z.string(), op: z.string() })).default([]),
});

const time = z.union([z.number().finite(), z.string().refine((v) => v === "" || Number.isFinite(Number(v)) || !Number.isNaN(Date.parse(v)), "is not a time")]);

export const replayFailedBody = z.strictObject({ from: time.optional(), to: time.optional() });

export const syncBody = z.strictObject({ url: z.string().min(1).optional() });

const limit = (max: number) => z.coerce.number().int().min(1).max(max).optional();

export const runsQuery = z.object({
  fn: z.string().optional(),
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return undefined;
      const statuses = value.split(",");
      const unknown = statuses.filter((s) => !(RUN_STATUSES as readonly string[]).includes(s));
      if (unknown.length) ctx.addIssue({ code: "custom", message: `unknown status ${unknown.join(", ")}; one of ${RUN_STATUSES.join(", ")}` });
      return statuses as RunStatus[];
    }),
  from: time.optional(),
  to: time.optional(),
  limit: limit(10_000),
});

export const eventsQuery = z.object({ name: z.string().optional(), limit: limit(10_000) });

/** "status: unknown status x" — the first problem, with where it is. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}
