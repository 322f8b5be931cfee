/** How often live segment-triggered journeys are re-evaluated (plan-journey-segments' cron). */
export const SEGMENT_EVALUATION_MINUTES = 15;

/**
 * The 15-minute slot an instant falls in, as `YYYY-MM-DDTHH:MM` (UTC, the slot's start): what
 * makes an evaluation request's event id the same for a replayed or doubled cron in one slot.
 */
export function segmentEvaluationSlot(now: Date): string {
  const slotMs = SEGMENT_EVALUATION_MINUTES * 60_000;
  return new Date(Math.floor(now.getTime() / slotMs) * slotMs).toISOString().slice(0, 16);
}

/** The event id of a version's evaluation in a slot. */
export const segmentEvaluationEventId = (journeyId: string, version: number, slot: string) => `journey-segment-eval-${journeyId}-v${version}-${slot}`;
