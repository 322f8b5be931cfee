import type { HeatCell, RecommendationAnswer, RecommendationBasis } from "@/core/ai/recommendation-kinds";

/** A click says more than an open, as in the engagement score (open 1, click 3). */
export const CLICK_WEIGHT = 3;
/** Fewer human opens and clicks than this and the heat map is noise: the default slot is given. */
export const MIN_ENGAGEMENTS = 20;
/** Tuesday 10:00 local: the usual default for marketing email when a list has no history. */
export const DEFAULT_SLOT = { dayOfWeek: 2, hour: 10 } as const;

export const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export const slotLabel = (cell: Pick<HeatCell, "dayOfWeek" | "hour">) => `${DAY_NAMES[cell.dayOfWeek]} ${String(cell.hour).padStart(2, "0")}:00`;

const weight = (cell: HeatCell) => cell.opens + CLICK_WEIGHT * cell.clicks;

/** The busiest weekday × hour cells of the segment's heat map (ties: earlier in the week, then earlier hour). */
export function bestSlots(heatMap: HeatCell[], count: number): HeatCell[] {
  return [...heatMap].sort((a, b) => weight(b) - weight(a) || a.dayOfWeek - b.dayOfWeek || a.hour - b.hour).slice(0, count);
}

export function suggestSendTime(basis: Extract<RecommendationBasis, { kind: "send-time" }>): RecommendationAnswer<"send-time"> {
  if (basis.totalEngagements < MIN_ENGAGEMENTS) {
    return {
      slots: [{ ...DEFAULT_SLOT, rationale: `Only ${basis.totalEngagements} human opens and clicks in this segment so far; until there are ${MIN_ENGAGEMENTS}, a weekday morning is the safe default.` }],
      explanation: `Too little engagement to read a pattern (${basis.totalEngagements} events). Times are in ${basis.timeZone}.`,
    };
  }
  const total = basis.heatMap.reduce((sum, cell) => sum + weight(cell), 0);
  const slots = bestSlots(basis.heatMap, 3).map((cell) => ({
    dayOfWeek: cell.dayOfWeek,
    hour: cell.hour,
    rationale: `${cell.opens} opens and ${cell.clicks} clicks happened ${slotLabel(cell)}–${String((cell.hour + 1) % 24).padStart(2, "0")}:00 (${((weight(cell) / total) * 100).toFixed(1)}% of the segment's weighted engagement).`,
  }));
  return {
    slots,
    explanation: `From ${basis.totalEngagements} human opens and clicks of this segment's contacts (machine opens excluded), by weekday and hour in ${basis.timeZone}. Send shortly before the busiest hour.`,
  };
}
