/** How a region writes a numeric date without a year-first form: 11/23 (month first) or 23/11 (day first). */
export type DateOrder = "month-first" | "day-first";

/**
 * Regions whose short dates put the month first (the United States and the territories and
 * countries that follow its usage). Everywhere else, a numeric date like 03/04 is day first.
 */
const MONTH_FIRST_REGIONS = new Set(["US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW", "PH"]);

/** The order to read an ambiguous numeric date in, from the workspace's region (US when unknown, as a new workspace's default). */
export function regionDateOrder(region: string | null | undefined): DateOrder {
  return MONTH_FIRST_REGIONS.has((region ?? "US").toUpperCase()) ? "month-first" : "day-first";
}
