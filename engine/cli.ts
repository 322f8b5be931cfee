/**
 * `npm run engine`: the local Inngest-protocol server for development and CI.
 * Env: ENGINE_PORT (8288), ENGINE_HOST (127.0.0.1), ENGINE_APP_URL (comma-separated serve URLs),
 * ENGINE_DATABASE_URL / DATABASE_URL / SENDLINE_DATA_DIR, INNGEST_SIGNING_KEY (cloud mode),
 * ENGINE_ALLOW_NON_LOOPBACK=1.
 */
import { createEngine } from "./index";

/**
 * Until the app answers its first sync. Short, because `npm run dev` holds its "ready" banner
 * (and the app's health its 200) until then; a sync attempt against an app that is not
 * listening yet fails at once, and one that reaches `next dev` waits while Next compiles the
 * route, so retrying often costs nothing.
 */
const SYNC_RETRY_MS = 250;

async function main() {
  const engine = createEngine({
    host: process.env.ENGINE_HOST || "127.0.0.1",
    port: Number(process.env.ENGINE_PORT || 8288),
    appUrl: process.env.ENGINE_APP_URL || "http://127.0.0.1:3000/api/inngest",
  });
  await engine.start();
  console.log(`[engine] listening on ${engine.url} (UI and API); set INNGEST_DEV=${engine.url} in the app`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[engine] ${signal}: finishing in-flight calls`);
    // Calls still running after the grace period are abandoned; their jobs rerun on the next start.
    await engine.stop(5000);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  // The app usually starts alongside the engine: keep trying until it answers.
  for (let attempt = 1; !stopping; attempt++) {
    try {
      await engine.sync();
      console.log(`[engine] app synced`);
      break;
    } catch (err) {
      if (attempt === 1 || attempt % 40 === 0) console.log(`[engine] waiting for the app to sync: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, SYNC_RETRY_MS));
    }
  }
}

main().catch((err) => {
  console.error("[engine] failed to start", err);
  process.exit(1);
});
