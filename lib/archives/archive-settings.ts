import { type Env, envValue } from "@/core/config/env";

/** At most this many files per archive (one step each to write, one per chunk to delete): well under Inngest's 1,000 steps per run. */
export const MAX_ARCHIVE_FILES = 200;

/** Days after which finished campaigns are archived by the daily plan; undefined: only on request. */
export const archiveAfterDays = (env: Env = process.env): number | undefined => envValue("ARCHIVE_CAMPAIGNS_AFTER_DAYS", env);

export const archivePartRows = (env: Env = process.env): number => envValue("ARCHIVE_PART_ROWS", env);
