import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { EngineEvent, FnConfig } from "../types";

interface BatchState {
  events: EngineEvent[];
  jobId: string;
}

/**
 * batchEvents: buffer events per fn + key; flush when `maxSize` is reached or `timeout` after the
 * first event. Returns the events to run now when the batch filled up.
 */
export async function addToBatch(
  store: Store,
  fnId: string,
  cfg: FnConfig,
  key: string,
  event: EngineEvent,
  now: number,
): Promise<EngineEvent[] | undefined> {
  const b = cfg.batchEvents;
  if (!b) return [event];
  const flowKey = `${fnId}:${key}`;
  const state = await store.getFlow<BatchState>("batch", flowKey, now);
  if (!state) {
    if (b.maxSize <= 1) return [event];
    const jobId = await store.insertJob("batch", now + (parseDuration(b.timeout) ?? 1000), { payload: { fnId, flowKey } });
    await store.setFlow("batch", flowKey, { events: [event], jobId }, null);
    return undefined;
  }
  const events = [...state.events, event];
  if (events.length >= b.maxSize) {
    await store.deleteFlow("batch", flowKey);
    await store.deleteJob(state.jobId);
    return events;
  }
  await store.setFlow("batch", flowKey, { ...state, events }, null);
  return undefined;
}

export async function takeBatch(store: Store, flowKey: string): Promise<EngineEvent[]> {
  const state = await store.getFlow<BatchState>("batch", flowKey, Date.now());
  await store.deleteFlow("batch", flowKey);
  return state?.events ?? [];
}
