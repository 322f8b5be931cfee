import { vi } from "vitest";

/**
 * Moves time for the app and the in-process engine together (both read Date). Only Date is
 * faked, and it keeps advancing with real time: a frozen clock would leave the engine's retries,
 * backoffs and batch windows, due at now + n ms, never due. Timers stay real. Times the app
 * writes are compared with its clock, never SQL now(), so moving it forward is enough; start at
 * the real time or later (PostgreSQL's now() never runs behind the app's).
 */
export function useTestClock(start?: Date | number): { advance(ms: number): void; set(at: Date | number): void } {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  if (start !== undefined) vi.setSystemTime(start);
  return {
    advance: (ms) => vi.setSystemTime(Date.now() + ms),
    set: (at) => vi.setSystemTime(at),
  };
}
