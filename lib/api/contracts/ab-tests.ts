import { z } from "zod";
import { nullableTimestamp } from "./common";

/** What campaign and journey A/B results share: rates, the leader and the recorded winner (core/ab-tests). */
export const abCount = z.number().int();
export const abRate = z.number().min(0).max(1);
export const abPValue = z.number().min(0).max(1);

export const abLeaderSchema = z
  .object({ variant: z.string(), pValue: abPValue, confidence: abPValue })
  .nullable()
  .meta({ description: "The variant ahead now (ties: the first) and its two-proportion z-test against the runner-up; null before anything was sent" });

export const abWinnerSchema = z
  .object({
    variant: z.string(),
    index: abCount,
    pValue: abPValue.meta({ description: "Two-sided two-proportion z-test of the winner against the runner-up, when it was picked" }),
    confidence: abPValue.meta({ description: "1 − pValue" }),
    significant: z.boolean().meta({ description: "pValue < 0.05" }),
    decidedBy: z.enum(["window", "manual"]),
    decidedAt: nullableTimestamp,
    variants: z.array(z.object({ variant: z.string(), sent: abCount, conversions: abCount, rate: abRate })).meta({ description: "The counts the winner was picked on" }),
  })
  .nullable();
