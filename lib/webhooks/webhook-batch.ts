/**
 * How provider webhooks are batched into runs: up to 100 per run, or whatever came within a
 * second (the engine's and Inngest's shortest batch timeout). A flood costs two executions per
 * 100 webhooks (a run and its one step); a trickle waits at most a second longer.
 */
export const WEBHOOK_BATCH = { maxSize: 100, timeout: "1s" } as const;
