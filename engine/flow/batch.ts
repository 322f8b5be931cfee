import { parseDuration } from "../duration";
import type { Store } from "../store/store";
import type { EngineEvent, FnConfig } from "../types";

interface BatchState {
  events: EngineEvent[];
  jobId: string;
}

/** A batch ready to run: its events and the run id it gets (its timer job's id, so a repeat creates no second run). */
export interface ReadyBatch {
  events: EngineEvent[];
  runId?: string;
}

/**
 * batchEvents: buffer events per fn + key; flush when `maxSize` is reached or `timeout` after the
 * first event. Returns the batch to run now when this event filled it up. A full batch stays
 * stored until its run exists (closeBatch after createRun): a crash in between leaves the batch
 * and its timer, whose job then creates the same run id, which is a no-op, and closes it.
 */
export async function addToBatch(
  store: Store,
  fnId: string,
  cfg: FnConfig,
  key: string,
  event: EngineEvent,
  now: number,
): Promise<ReadyBatch | undefined> {
  const b = cfg.batchEvents;
  if (!b) return { events: [event] };
  const flowKey = `${fnId}:${key}`;
  const state = await store.getFlow<BatchState>("batch", flowKey, now);
  if (!state) {
    if (b.maxSize <= 1) return { events: [event] };
    const jobId = await store.insertJob("batch", now + (parseDuration(b.timeout) ?? 1000), { payload: { fnId, flowKey } });
    await store.setFlow("batch", flowKey, { events: [event], jobId }, null);
    return undefined;
  }
  const events = [...state.events, event];
  if (events.length >= b.maxSize) return { events, runId: state.jobId };
  await store.setFlow("batch", flowKey, { ...state, events }, null);
  return undefined;
}

/** The batch a timer job fires, left stored until closeBatch. */
export async function readBatch(store: Store, flowKey: string): Promise<ReadyBatch | undefined> {
  const state = await store.getFlow<BatchState>("batch", flowKey, Date.now());
  return state ? { events: state.events, runId: state.jobId } : undefined;
}

/** Forgets a batch whose run now exists, and its timer. */
export async function closeBatch(store: Store, flowKey: string, jobId: string | undefined): Promise<void> {
  await store.deleteFlow("batch", flowKey);
  if (jobId) await store.deleteJob(jobId);
}
