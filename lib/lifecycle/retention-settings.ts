import { type Env, envValue } from "@/core/config/env";

/** Retention and temporary-data settings, read from the environment (core/config/env-schema.ts). */
export type RetentionSettings = {
  /** Rows one step anonymises, scrubs or deletes. */
  batchRows: number;
  /** Batches one rule may take in a run; the rest waits for the next day. */
  maxBatchesPerRule: number;
  /** Age past which temporary files (finished imports' uploads, spool and partial files) go. */
  tempFileMaxAgeHours: number;
};

export function retentionSettings(env: Env = process.env): RetentionSettings {
  return {
    batchRows: envValue("RETENTION_BATCH_ROWS", env),
    maxBatchesPerRule: envValue("RETENTION_MAX_BATCHES_PER_RULE", env),
    tempFileMaxAgeHours: envValue("TEMP_FILE_MAX_AGE_HOURS", env),
  };
}
