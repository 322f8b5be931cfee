/** At most `limit` messages per contact, channel and category within `periodSeconds`. */
export type FrequencyCap = { limit: number; periodSeconds: number };

/** The suppression reason a capped message shows. */
export function frequencyCapReason(cap: FrequencyCap, channel: string, category: string): string {
  return `Frequency cap: at most ${cap.limit} ${channel} message${cap.limit === 1 ? "" : "s"} of category ${category} per ${describePeriod(cap.periodSeconds)}`;
}

/** Whether one more message fits, given how many were released in the trailing window. */
export function withinCap(releasedInWindow: number, cap: FrequencyCap): boolean {
  return releasedInWindow < cap.limit;
}

export function describePeriod(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return count === 1 ? name : `${count} ${name}s`;
    }
  }
  return `${seconds} seconds`;
}
