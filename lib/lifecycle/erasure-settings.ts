import { type Env, envValue } from "@/core/config/env";

const HOUR_MS = 3_600_000;

/** How long an erasure can be undone (ERASURE_RECOVERY_HOURS, 24 by default). */
export const erasureRecoveryHours = (env: Env = process.env): number => envValue("ERASURE_RECOVERY_HOURS", env);

/** Erasures a workspace executes per 24 hours (ERASURES_PER_DAY, 10 by default). */
export const erasuresPerDay = (env: Env = process.env): number => envValue("ERASURES_PER_DAY", env);

/** Recovery emails a contact receives per 24 hours (ERASURE_RECOVERY_EMAILS_PER_DAY, 2 by default). */
export const recoveryEmailsPerDay = (env: Env = process.env): number => envValue("ERASURE_RECOVERY_EMAILS_PER_DAY", env);

/** When a window opened at `at` closes: computed from the app's clock, never SQL now(). */
export const eraseAfterOf = (at: Date, env: Env = process.env): Date => new Date(at.getTime() + erasureRecoveryHours(env) * HOUR_MS);
