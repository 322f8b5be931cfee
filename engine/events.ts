import type { EngineContext } from "./context";
import { evalBool, evalKey, limitKey } from "./expressions";
import { addToBatch, closeBatch } from "./flow/batch";
import { debounceEvent } from "./flow/debounce";
import { rateLimitAllows } from "./flow/rate-limit";
import { ulid, ulidFromSeed } from "./ids";
import { cancelRun, createRun, createRuns, resumeStep, type CreateRunOptions, type RunRequest } from "./runs";
import type { EventWait } from "./store/store";
import type { EngineEvent, FnConfig, FnRow } from "./types";

/** The batch's events were refused before anything of it was stored: each submission may be tried alone. */
export class EventsNotStored extends Error {
  constructor(cause: unknown) {
    super(`events not stored: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** One sender's events (a `POST /e/:key`, or the engine's own), with the id seed of that send. */
export interface Submission {
  events: EngineEvent[];
  seed?: string;
}

/**
 * Accepts events (from `POST /e/:key` or the engine itself), stores them and starts whatever they
 * trigger. Returns one id per event of each submission. A retried send (the same id seed) returns
 * the original ids and stores and starts nothing. A user-set id seen before is stored all the same,
 * as Inngest does: it de-duplicates runs per function (runs.ts), not events.
 * Set-based: submissions are handled as one batch in their order, and a batch costs the same few
 * statements however many events it holds (a sendEvent fan-out posts thousands; concurrent
 * webhooks are grouped by the intake queue): the seed lookup, one INSERT of events that also reads
 * their waits, one INSERT of runs.
 */
export async function ingestEvents(ctx: EngineContext, submissions: Submission[]): Promise<string[][]> {
  const now = Date.now();
  const fns = await ctx.store.listFunctions();
  const idsOf = submissions.map(({ events, seed }) => events.map((_, i) => (seed && ulidFromSeed(seed, i)) || ulid(now)));
  const events = submissions.flatMap((s) => s.events);
  const ids = idsOf.flat();
  const seededIds = idsOf.flatMap((list, k) => (submissions[k]!.seed ? list : []));
  const stored = await ctx.store.existingEventIds(seededIds);
  const accepted: Array<{ id: string; userId: string | null; payload: EngineEvent }> = [];
  const out = events.map((raw, i) => {
    const id = ids[i]!;
    if (stored.has(id)) return id;
    // The same seed twice in one batch (a send retried before its first try was answered) is one event.
    stored.add(id);
    const userId = userIdOf(raw);
    accepted.push({ id, userId, payload: { ...raw, id: userId ?? id, name: raw.name, data: raw.data ?? {}, ts: raw.ts ?? now } });
    return id;
  });
  const payloads = accepted.map((a) => a.payload);
  const names = [...new Set(payloads.map((e) => e.name))];
  let waits: EventWaits = new Map();
  if (payloads.length)
    try {
      waits = groupWaits(names, await ctx.store.insertEventsReadWaits(accepted, names, now));
    } catch (err) {
      throw new EventsNotStored(err);
    }
  await dispatchEvents(ctx, accepted, fns, waits);
  let next = 0;
  return submissions.map((s) => out.slice(next, (next += s.events.length)));
}

function userIdOf(event: EngineEvent): string | null {
  return typeof event.id === "string" && event.id !== "" ? event.id : null;
}

export function eventMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!pattern.includes("*")) return false;
  const re = new RegExp("^" + pattern.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join(".*") + "$");
  return re.test(name);
}

/** Flow control decided per event at intake (or, for singleton, under a lock): these never join a bulk insert. */
function decidesPerEvent(cfg: FnConfig): boolean {
  return Boolean(cfg.rateLimit || cfg.debounce || cfg.batchEvents || cfg.singleton);
}

type EventWaits = Map<string, EventWait[]>;

/** Event name → its live waits in creation order. */
function groupWaits(names: string[], waits: EventWait[]): EventWaits {
  const byName: EventWaits = new Map(names.map((n) => [n, []]));
  for (const w of waits) byName.get(w.event_name!)!.push(w);
  return byName;
}

/**
 * Resumes waits, cancels runs and starts functions for each event in order. Runs are queued in
 * memory and created together, flushed before anything that must come after them: a per-event
 * flow-control path (runs keep their creation order), and re-reading the waits of a name a new
 * run may be cancelled by (its cancelOn waits must be there).
 */
async function dispatchEvents(ctx: EngineContext, accepted: Array<{ userId: string | null; payload: EngineEvent }>, fns: FnRow[], waitsByName: EventWaits) {
  const now = Date.now();
  let queued: RunRequest[] = [];
  const flush = async () => {
    const batch = queued;
    queued = [];
    if (batch.length) await createRuns(ctx, batch);
  };
  for (const { userId, payload: event } of accepted) {
    // A user-set id keys each function's run: one run per function and id (runs.ts).
    const opts = userId ? { eventId: userId } : undefined;
    let waits = waitsByName.get(event.name);
    if (!waits) {
      await flush();
      waits = await ctx.store.waitsForEvents([event.name], now);
      waitsByName.set(event.name, waits);
    }
    // Waiting steps and cancellations first: a run waiting for this event must see it.
    for (const w of waits.filter((w) => evalBool(w.expr ?? undefined, { event: w.run_event, async: event }))) {
      waits.splice(waits.indexOf(w), 1); // taken: later events of the batch cannot match it again
      if (w.kind === "cancel") {
        await ctx.store.takeWait(w.id);
        await cancelRun(ctx, w.run_id, `cancelOn ${event.name}`);
      } else if (w.step_id && (await ctx.store.takeWait(w.id))) {
        await resumeStep(ctx, w.run_id, w.step_id, { data: event }, "wait.matched");
      }
    }
    for (const fn of fns) {
      if (!fn.config.triggers.some((t) => "event" in t && eventMatches(t.event, event.name) && evalBool(t.expression, { event }))) continue;
      if (decidesPerEvent(fn.config)) {
        await flush();
        await scheduleFunction(ctx, fn, event, opts);
      } else queued.push({ fn, events: [event], opts });
      // The new run may be cancelled by a later event of this batch: read those waits again.
      for (const c of fn.config.cancel ?? []) waitsByName.delete(c.event);
    }
  }
  await flush();
}

/** Applies event-time flow control (rateLimit, debounce, batchEvents) and creates the run. */
export async function scheduleFunction(ctx: EngineContext, fn: FnRow, event: EngineEvent, opts?: CreateRunOptions) {
  const cfg = fn.config;
  const now = Date.now();
  const rateKey = cfg.rateLimit ? limitKey(cfg.rateLimit.key, { event }) : null;
  if (rateKey !== null) {
    const key = `${fn.id}:${rateKey}`;
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
    await ctx.withRunLock(`flow:batch:${fn.id}:${key}`, async () => {
      const ready = await addToBatch(ctx.store, fn.id, cfg, key, event, now);
      if (!ready) return;
      await createRun(ctx, fn, ready.events, ready.runId ? { id: ready.runId } : undefined);
      if (ready.runId) await closeBatch(ctx.store, `${fn.id}:${key}`, ready.runId);
    });
    ctx.poke();
    return;
  }
  // Debounced and batched runs are keyed by their debounce or batch, so only this path carries the event id.
  await createRun(ctx, fn, [event], opts);
}
