import type { EngineContext } from "./context";
import { evalBool, evalKey } from "./expressions";
import { addToBatch } from "./flow/batch";
import { debounceEvent } from "./flow/debounce";
import { rateLimitAllows } from "./flow/rate-limit";
import { ulid, ulidFromSeed } from "./ids";
import { cancelRun, createRun, resumeStep } from "./runs";
import type { EngineEvent, FnRow } from "./types";

export const EVENT_DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Accepts events (from `POST /e/:key` or the engine itself), stores them and starts whatever they
 * trigger. Returns one id per event. Duplicates (a user-set id seen within 24 h, or a retried send
 * with the same id seed) return the original id and start nothing.
 */
export async function ingestEvents(ctx: EngineContext, events: EngineEvent[], seed?: string): Promise<string[]> {
  const ids: string[] = [];
  const now = Date.now();
  // One read of the function list per request, not per event (a sendEvent fan-out posts thousands).
  const fns = await ctx.store.listFunctions();
  for (const [i, raw] of events.entries()) {
    const id = (seed && ulidFromSeed(seed, i)) || ulid();
    if (seed && (await ctx.store.eventExists(id))) {
      ids.push(id);
      continue;
    }
    const userId = typeof raw.id === "string" && raw.id !== "" ? raw.id : null;
    if (userId) {
      const seen = await ctx.store.findEventByUserId(userId, now - EVENT_DEDUPE_WINDOW_MS);
      if (seen) {
        ids.push(seen.id);
        continue;
      }
    }
    const event: EngineEvent = { ...raw, id: userId ?? id, name: raw.name, data: raw.data ?? {}, ts: raw.ts ?? now };
    await ctx.store.insertEvent(id, userId, event);
    ids.push(id);
    await dispatchEvent(ctx, event, fns);
  }
  ctx.poke();
  return ids;
}

export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!pattern.includes("*")) return false;
  const re = new RegExp("^" + pattern.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*") + "$");
  return re.test(name);
}

async function dispatchEvent(ctx: EngineContext, event: EngineEvent, fns: FnRow[]) {
  const now = Date.now();
  // Waiting steps and cancellations first: a run waiting for this event must see it.
  for (const w of await ctx.store.waitsForEvent(event.name, now)) {
    const run = await ctx.store.getRun(w.run_id);
    if (!run) continue;
    if (!evalBool(w.expr ?? undefined, { event: run.event, async: event })) continue;
    if (w.kind === "cancel") {
      await ctx.store.takeWait(w.id);
      await cancelRun(ctx, run.id, `cancelOn ${event.name}`);
    } else if (w.step_id && (await ctx.store.takeWait(w.id))) {
      await resumeStep(ctx, run.id, w.step_id, { data: event }, "wait.matched");
    }
  }
  for (const fn of fns) {
    for (const t of fn.config.triggers) {
      if (!("event" in t) || !eventMatches(t.event, event.name)) continue;
      if (!evalBool(t.expression, { event })) continue;
      await scheduleFunction(ctx, fn, event);
      break;
    }
  }
}

/** Applies event-time flow control (rateLimit, debounce, batchEvents) and creates the run. */
export async function scheduleFunction(ctx: EngineContext, fn: FnRow, event: EngineEvent) {
  const cfg = fn.config;
  const now = Date.now();
  if (cfg.rateLimit) {
    const key = `${fn.id}:${evalKey(cfg.rateLimit.key, { event })}`;
    if (!(await ctx.withRunLock(`flow:rl:${key}`, () => rateLimitAllows(ctx.store, cfg, key, now)))) {
      ctx.log.info(`rateLimit dropped ${event.name} for ${fn.id}`);
      return;
    }
  }
  if (cfg.debounce) {
    const key = evalKey(cfg.debounce.key, { event });
    await ctx.withRunLock(`flow:debounce:${fn.id}:${key}`, () => debounceEvent(ctx.store, fn.id, cfg, key, event, now));
    ctx.poke();
    return;
  }
  // batchEvents.if: "If the expression cannot be evaluated to a boolean value or if the expression
  // evaluates to false, batching will be skipped for this event and the event will be scheduled for
  // execution immediately" (Inngest's batching guide) — a run of its own, as `events: [event]`.
  if (cfg.batchEvents && evalBool(cfg.batchEvents.if, { event })) {
    const key = evalKey(cfg.batchEvents.key, { event });
    const full = await ctx.withRunLock(`flow:batch:${fn.id}:${key}`, () =>
      addToBatch(ctx.store, fn.id, cfg, key, event, now),
    );
    if (full) await createRun(ctx, fn, full);
    ctx.poke();
    return;
  }
  await createRun(ctx, fn, [event]);
}
