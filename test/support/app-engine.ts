import fs from "node:fs";
import { createEngine, type Engine } from "@/engine";
import { dropDatabase, quietLogger, testDatabase } from "@/test/engine/harness";
import { freePort } from "./free-port";

type ServeRoute = typeof import("@/app/api/inngest/route");

/**
 * The app wired to a local engine in-process: the engine calls the app's real serve() route,
 * and the app's client sends its events to the engine. Import app modules only after this
 * resolves: the client reads INNGEST_DEV when first loaded and keeps that URL, which is why
 * the port is chosen first and every engine made here (see `restart`) listens on it. With
 * `sync: false` the engine takes events but runs nothing until `engine.sync()`.
 */
export async function startAppEngine(options: { persistent?: boolean; /** false: started, app not yet synced (as `npm run dev` begins) */ sync?: boolean } = {}) {
  const database = testDatabase({ persistent: options.persistent });
  const port = await freePort();
  process.env.INNGEST_DEV = `http://127.0.0.1:${port}`;
  const route: ServeRoute = await import("@/app/api/inngest/route");
  const make = () =>
    createEngine({
      port,
      database,
      appUrl: "http://127.0.0.1:3000/api/inngest",
      // Next hands route handlers (request, context); serve() only reads the request.
      handler: (request) => route[request.method as "GET" | "POST" | "PUT"](request as never, undefined as never),
      backoff: () => 200,
      logger: quietLogger,
    });
  let engine: Engine = make();
  await engine.start();
  if (options.sync !== false) await engine.sync();
  return {
    url: `http://127.0.0.1:${port}`,
    get engine() {
      return engine;
    },
    /** Stops the engine (cutting off calls after `graceMs`) and starts a new one on the same state. */
    async restart(graceMs?: number) {
      await engine.stop(graceMs);
      engine = make();
      await engine.start();
    },
    async stop() {
      await engine.stop();
      await dropDatabase(database);
      if ("pgliteDir" in database && options.persistent) fs.rmSync(database.pgliteDir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds; tests never sleep a fixed time. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
