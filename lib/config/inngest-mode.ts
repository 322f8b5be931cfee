export type InngestMode = { mode: "dev"; serverUrl: string } | { mode: "cloud"; serverUrl: string };

/**
 * Which Inngest server the app talks to, from the environment alone: `INNGEST_DEV=<url>`
 * selects a dev server (our engine or the official one); otherwise cloud mode, where every
 * call must be signed. Serving unsigned in production is refused, never fallen into.
 */
export function inngestMode(env: NodeJS.ProcessEnv = process.env): InngestMode {
  const dev = env.INNGEST_DEV;
  if (dev && dev !== "0" && dev !== "false") {
    const serverUrl = /^https?:\/\//.test(dev) ? dev : "http://127.0.0.1:8288";
    return { mode: "dev", serverUrl };
  }
  if (!env.INNGEST_SIGNING_KEY && env.NODE_ENV === "production" && env.NEXT_PHASE !== "phase-production-build") {
    throw new Error(
      "INNGEST_SIGNING_KEY is not set and INNGEST_DEV is not set: refusing to serve Inngest functions unsigned in production.",
    );
  }
  return { mode: "cloud", serverUrl: env.INNGEST_BASE_URL ?? "https://api.inngest.com" };
}
