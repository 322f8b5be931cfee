/** What the engine's `GET /api/apps` says about one app. */
export type EngineApp = { url: string; app_id: string | null; synced_at: number | null; error: string | null; functions: number };

export type WaitForAppSyncOptions = {
  engineUrl: string;
  /** The app's serve URL, as the engine syncs it. */
  appUrl: string;
  /** Only a sync at or after this time counts: state kept from an earlier run of the engine does not. */
  since: number;
  pollMs?: number;
  /** Called once per distinct reason while waiting (for the launcher's "waiting for …" line). */
  onWaiting?: (reason: string) => void;
  signal?: AbortSignal;
};

/** Why the app is not synced yet according to `apps`, or null when it is. */
export function notSyncedReason(apps: EngineApp[], appUrl: string, since: number): string | null {
  const app = apps.find((a) => a.url === appUrl);
  if (!app || app.synced_at === null || app.synced_at < since) return `the engine has not reached ${appUrl} yet (Next compiles it on first use)`;
  if (app.error) return `the engine's last sync failed: ${app.error}`;
  if (app.functions === 0) return "the engine synced the app but it registered no functions";
  return null;
}

/**
 * Polls the engine until it has synced the app, since `since`, with functions: only then does
 * an event sent to the engine start a run instead of matching nothing. Resolves with the app;
 * rejects when `signal` aborts. An engine that is not answering yet counts as "not synced".
 */
export async function waitForAppSync(options: WaitForAppSyncOptions): Promise<EngineApp> {
  const pollMs = options.pollMs ?? 200;
  let last: string | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    let reason: string;
    try {
      const response = await fetch(`${options.engineUrl}/api/apps`, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const apps = (await response.json()) as EngineApp[];
      const why = notSyncedReason(apps, options.appUrl, options.since);
      if (why === null) return apps.find((a) => a.url === options.appUrl)!;
      reason = why;
    } catch (error) {
      reason = `the engine at ${options.engineUrl} is not answering yet (${(error as Error).message})`;
    }
    if (reason !== last) options.onWaiting?.(reason);
    last = reason;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
