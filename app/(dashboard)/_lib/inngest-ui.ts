import { type InngestMode, inngestMode } from "@/lib/config/inngest-mode";

/** Where Inngest Cloud shows runs; self-hosted servers serve their UI at their own URL. */
export const INNGEST_CLOUD_RUNS_URL = "https://app.inngest.com/env/production/runs";

/**
 * The Inngest server's UI, where runs and their steps can be inspected: the dev server's own
 * URL in dev mode (our engine or Inngest's), Inngest Cloud's dashboard otherwise.
 */
export function runsUrl(mode: InngestMode | null): string {
  return mode?.mode === "dev" ? mode.serverUrl : INNGEST_CLOUD_RUNS_URL;
}

/** The mode, or null when the environment is misconfigured (the page still renders and says so). */
export function safeInngestMode(): InngestMode | null {
  try {
    return inngestMode();
  } catch {
    return null;
  }
}
