import { envValue } from "@/core/config/env";
import type { GuardThresholds } from "@/core/analytics/campaign-guard";

/** GUARD_COMPLAINT_RATE, GUARD_HARD_BOUNCE_RATE and GUARD_MIN_SAMPLE, read once per check (a test or a restart can change them). */
export function guardThresholds(env: NodeJS.ProcessEnv = process.env): GuardThresholds {
  return {
    complaintRate: envValue("GUARD_COMPLAINT_RATE", env),
    hardBounceRate: envValue("GUARD_HARD_BOUNCE_RATE", env),
    minSample: envValue("GUARD_MIN_SAMPLE", env),
  };
}
