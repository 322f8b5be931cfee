import { z } from "zod";
import { AB_MAX_VARIANTS, AB_METRICS, AB_MIN_VARIANTS, type AbCount } from "@/core/ab-tests/ab-test";

/**
 * An A/B test on a journey's send step (issue 17, item 4): 2–4 variants, each changing any of the
 * step's template, subject, sender or send time (a delay before sending). Unlike a campaign, a
 * journey has no audience known up front, so the sample is the first enrollments to reach the
 * step: each one gets a variant by a hash of (version, step, enrollment) (ab-variant-of.ts, apart
 * because the canvas bundles this file for the browser) until a winner is recorded, then the winner. The winner is picked (core/ab-tests pickAbWinner) once every variant
 * has sent `sampleSize` messages and `windowHours` have passed since the last of those sends, or
 * when the test has run JOURNEY_AB_MAX_DAYS. Each send's conversions count for `windowHours` after
 * it, so every send in the sample is judged on the same span.
 */

/** A test that never fills its sample is decided on what it has after this long. */
export const JOURNEY_AB_MAX_DAYS = 30;
export const JOURNEY_AB_DEFAULT_SAMPLE_SIZE = 100;
export const JOURNEY_AB_DEFAULT_WINDOW_HOURS = 24;
/** A send-time variant waits at most a week: longer is another journey step, not a variant. */
export const JOURNEY_AB_MAX_DELAY_MINUTES = 7 * 24 * 60;

export const journeyAbVariant = z.strictObject({
  templateId: z.uuid().optional(),
  subject: z.string().trim().min(1).max(1_000).optional(),
  from: z.string().trim().min(1).max(320).optional(),
  delayMinutes: z.number().int().min(0).max(JOURNEY_AB_MAX_DELAY_MINUTES).optional(),
});
export type JourneyAbVariant = z.infer<typeof journeyAbVariant>;

export const journeyAbTest = z.strictObject({
  variants: z
    .array(journeyAbVariant)
    .min(AB_MIN_VARIANTS, `an A/B test has ${AB_MIN_VARIANTS}–${AB_MAX_VARIANTS} variants`)
    .max(AB_MAX_VARIANTS, `an A/B test has ${AB_MIN_VARIANTS}–${AB_MAX_VARIANTS} variants`),
  metric: z.enum(AB_METRICS),
  goalEvent: z.string().trim().min(1).max(200).optional(),
  sampleSize: z.number().int().min(1).max(100_000).default(JOURNEY_AB_DEFAULT_SAMPLE_SIZE),
  windowHours: z.number().int().min(1).max(JOURNEY_AB_MAX_DAYS * 24).default(JOURNEY_AB_DEFAULT_WINDOW_HOURS),
});
export type JourneyAbTest = z.infer<typeof journeyAbTest>;

/** What the decision reads of each variant: its sends in the sample and when its `sampleSize`-th went out. */
export type JourneyAbProgress = AbCount & { variant: number; sampleFullAt: Date | null };

/**
 * When the test may be decided by the clock: `windowHours` after the last variant's sample filled
 * (every send in it has then had its whole window), or JOURNEY_AB_MAX_DAYS after its first send,
 * whichever comes first. Null while neither can be known (a variant not yet full and no first send).
 */
export function journeyAbDecideAt(params: { progress: JourneyAbProgress[]; variants: number; windowHours: number; firstSentAt: Date | null }): Date | null {
  const limit = params.firstSentAt ? new Date(params.firstSentAt.getTime() + JOURNEY_AB_MAX_DAYS * 86_400_000) : null;
  const full = Array.from({ length: params.variants }, (_, variant) => params.progress.find((p) => p.variant === variant)?.sampleFullAt ?? null);
  if (full.some((at) => at === null)) return limit;
  const lastFull = Math.max(...full.map((at) => at!.getTime()));
  const windowEnd = new Date(lastFull + params.windowHours * 3_600_000);
  return limit && limit < windowEnd ? limit : windowEnd;
}

/** How a variant reads in lists: what it changes. */
export function describeAbVariant(variant: JourneyAbVariant): string {
  const parts = [
    variant.subject !== undefined ? `subject “${variant.subject}”` : null,
    variant.templateId !== undefined ? `template ${variant.templateId.slice(0, 8)}` : null,
    variant.from !== undefined ? `from ${variant.from}` : null,
    variant.delayMinutes ? `sent ${variant.delayMinutes} min later` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "the step's own message";
}
