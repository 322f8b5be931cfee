import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { EngineEvent, FnConfig } from "../types";

interface DebounceState {
  event: EngineEvent;
  first: number;
  jobId: string;
}

/**
 * Debounce: each event pushes the run back by `period`; the run gets the event with the newest
 * `ts`. `timeout` caps the total delay from the first event. An event older than the one held is
 * out of order and changes nothing, timer included, as Inngest's updateDebounce.lua (-2, "do
 * nothing" in pkg/execution/debounce/debounce.go). State lives in the flow table, keyed by fn + key.
 */
export async function debounceEvent(store: Store, fnId: string, cfg: FnConfig, key: string, event: EngineEvent, now: number) {
  const d = cfg.debounce;
  if (!d) return;
  const period = parseDuration(d.period) ?? 1000;
  const maxWait = parseDuration(d.timeout);
  const flowKey = `${fnId}:${key}`;
  const state = await store.getFlow<DebounceState>("debounce", flowKey, now);
  const first = state?.first ?? now;
  const fireAt = maxWait === undefined ? now + period : Math.min(now + period, first + maxWait);
  if (state) {
    if ((state.event.ts ?? 0) > (event.ts ?? now)) return;
    await store.setFlow("debounce", flowKey, { ...state, event }, null);
    await store.deferJob(state.jobId, fireAt);
    return;
  }
  const jobId = await store.insertJob("debounce", fireAt, { payload: { fnId, flowKey } });
  await store.setFlow("debounce", flowKey, { event, first, jobId }, null);
}

/** Called by the debounce job: hands back the last event and clears the buffer. */
export async function takeDebounced(store: Store, flowKey: string): Promise<EngineEvent | undefined> {
  const state = await store.getFlow<DebounceState>("debounce", flowKey, Date.now());
  await store.deleteFlow("debounce", flowKey);
  return state?.event;
}
