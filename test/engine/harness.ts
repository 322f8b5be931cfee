import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createEngine, type Engine, type EngineOptions } from "@/engine";
import type { DatabaseOption } from "@/engine/store/sql";
import { createProbeApp, PROBE_URL } from "./probe-app";

/** Fresh database per engine group: in-memory PGlite, or a new schema on TEST_DATABASE_URL. */
export function testDatabase(opts: { persistent?: boolean } = {}): DatabaseOption {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { url, schema: `engine_test_${randomBytes(5).toString("hex")}` };
  // Restart tests need the data to outlive the engine, so they get a throwaway directory.
  if (opts.persistent) return { pgliteDir: fs.mkdtempSync(path.join(os.tmpdir(), "engine-test-")) };
  return { pgliteDir: "memory://" };
}

/** Drops a PostgreSQL test schema (PGlite databases vanish with their engine). */
export async function dropDatabase(db: DatabaseOption): Promise<void> {
  if (!("url" in db) || !db.schema?.startsWith("engine_test_")) return;
  const { default: postgres } = await import("postgres");
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Polls `check` until it is true (tests never sleep a fixed long time). */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const quietLogger = { info: () => {}, warn: () => {}, error: (m: string, e?: unknown) => console.error(m, e ?? "") };

/** Engine + probe app wired in-process; `restart()` swaps in a new engine on the same database. */
export async function startProbe(opts: { database?: DatabaseOption; probe?: Parameters<typeof createProbeApp>[1]; engine?: EngineOptions } = {}) {
  const database = opts.database ?? testDatabase();
  let app: ReturnType<typeof createProbeApp> | undefined;
  /** Every call the engine made to the app: which run, which step (`step` = discovery). */
  const calls: Array<{ runId: string; stepId: string }> = [];
  const make = () =>
    createEngine({
      port: 0,
      database,
      appUrl: PROBE_URL,
      handler: async (req) => {
        if (req.method === "POST") {
          const body = (await req.clone().json()) as { ctx?: { run_id?: string } };
          calls.push({ runId: body.ctx?.run_id ?? "", stepId: new URL(req.url).searchParams.get("stepId") ?? "" });
        }
        return app!.handler(req);
      },
      backoff: () => 200,
      logger: quietLogger,
      ...opts.engine,
    });
  let engine: Engine = make();
  await engine.start();
  app = createProbeApp(engine.url, opts.probe);
  await engine.sync();
  return {
    get engine() {
      return engine;
    },
    calls,
    get app() {
      return app!;
    },
    send: (name: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
      app!.client.send({ name, data, ...extra }),
    /** Stops this engine and starts a new one on the same database (and a new probe client pointed at it). */
    async restart(graceMs?: number) {
      await engine.stop(graceMs);
      const log = app!.log;
      engine = make();
      await engine.start();
      app = createProbeApp(engine.url, { ...opts.probe, log });
    },
    async stop() {
      await engine.stop();
      await dropDatabase(database);
    },
  };
}
