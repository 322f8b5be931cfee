import { type Env, envValue } from "@/core/config/env";

export type ImportWatchdogSettings = {
  /** A queued or running import with no progress for this long is stalled (the watchdog steps in). */
  stuckImportMinutes: number;
};

/** Read when the watchdog runs (core/config/env-schema.ts has the default and the rule). */
export function importWatchdogSettings(env: Env = process.env): ImportWatchdogSettings {
  return { stuckImportMinutes: envValue("STUCK_IMPORT_MINUTES", env) };
}
