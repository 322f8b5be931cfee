import { captureLogs } from "@/lib/observability/logger";

/**
 * Collects what the app's logger writes from now on, each line parsed as the JSON it must be
 * (a line that is not JSON fails the test right where it is read).
 */
export function collectLogLines(): { lines: () => Record<string, unknown>[]; stop: () => void } {
  const raw: string[] = [];
  const stop = captureLogs({ write: (line: string) => void raw.push(line) });
  return { lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>), stop };
}
