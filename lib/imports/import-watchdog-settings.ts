type Env = Readonly<Record<string, string | undefined>>;

export type ImportWatchdogSettings = {
  /** A queued or running import with no progress for this long is stalled (the watchdog steps in). */
  stuckImportMinutes: number;
};

/** Read when the watchdog runs, from the environment; a value that is not a positive number is refused. */
export function importWatchdogSettings(env: Env = process.env): ImportWatchdogSettings {
  const raw = env.STUCK_IMPORT_MINUTES?.trim();
  if (!raw) return { stuckImportMinutes: 5 };
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`STUCK_IMPORT_MINUTES="${raw}" must be a positive number of minutes`);
  return { stuckImportMinutes: minutes };
}
