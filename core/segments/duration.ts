/** Relative windows such as "12h", "30d", "8w": how far back from now a condition looks. */
export const DURATION_PATTERN = /^([1-9]\d{0,5})([hdw])$/;

const HOURS_PER_UNIT = { h: 1, d: 24, w: 24 * 7 } as const;

/** Ten years: long enough for any engagement or signup window, short enough to stay an interval. */
export const MAX_DURATION_HOURS = 24 * 3660;

export const DURATION_RULE = 'must be a window like "12h", "30d" or "8w", at most ten years';

/** Hours in a duration string, or undefined when it is not one. */
export function durationHours(duration: string): number | undefined {
  const match = DURATION_PATTERN.exec(duration);
  if (!match) return undefined;
  const hours = Number(match[1]) * HOURS_PER_UNIT[match[2] as keyof typeof HOURS_PER_UNIT];
  return hours <= MAX_DURATION_HOURS ? hours : undefined;
}
