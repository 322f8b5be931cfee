import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createEngine, type Engine } from "@/engine";
import { ENV_NAMES } from "@/core/config/env-schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createServerDatabase } from "@/test/support/database";
import { freePort } from "@/test/support/free-port";

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 90_000;

/** Where the admin connection goes when TEST_DATABASE_URL is unset: the CI and development server. */
export const DEFAULT_ADMIN_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export type ProductionApp = {
  baseUrl: string;
  engineUrl: string;
  /** The app's own database, for a test that needs a workspace of its own. */
  databaseUrl: string;
  user: string;
  password: string;
  stop(): Promise<void>;
};

/**
 * The environment `next start` gets: the inherited one without anything Sendline reads (a
 * developer's RESEND_API_KEY or DATABASE_URL must not leak into the suite) and without the test
 * runner's NODE_ENV, then a complete production configuration of loopback parts.
 */
function appEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [...ENV_NAMES, "NODE_ENV"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("VITEST") || name.startsWith("__VITEST")) delete env[name];
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", ...settings };
}

/** The last lines of the server log, for a failure message that says why. */
function logTail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * The built app as production runs it, once for the whole browser suite: a fresh migrated
 * PostgreSQL database with one workspace, the local engine (in this process, its state in the
 * same database) and `next start` on a free loopback port, behind the dashboard password.
 * Resolves only when the engine has synced the app and /api/health answers 200: before that
 * an event would match no function. Reuses the build in .next/ (never builds).
 */
export async function startProductionApp(options: { logFile: string }): Promise<ProductionApp> {
  const adminUrl = process.env.TEST_DATABASE_URL || DEFAULT_ADMIN_DATABASE_URL;
  const log = fs.createWriteStream(options.logFile);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-browser-"));
  const database = await createServerDatabase(adminUrl);
  let engine: Engine | undefined;
  let next: ChildProcess | undefined;

  const stop = async () => {
    if (next && next.exitCode === null && next.signalCode === null) {
      const exited = new Promise((resolve) => next!.once("exit", resolve));
      next.kill("SIGTERM");
      const force = setTimeout(() => next!.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(force);
    }
    await engine?.stop(1_000);
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await new Promise((resolve) => log.end(resolve));
  };

  try {
    // The oldest workspace is the one the dashboard shows without a choice (tests make their own).
    await createWorkspace(database.db, { name: "Browser suite" });

    const port = await freePort();
    const baseUrl = `http://${HOST}:${port}`;
    const eventKey = `browser-suite-${randomBytes(8).toString("hex")}`;
    const line = (level: string) => (message: string, error?: unknown) => log.write(`[engine ${level}] ${message}${error ? ` ${String(error)}` : ""}\n`);
    engine = createEngine({
      host: HOST,
      port: 0,
      database: { url: database.url, schema: "inngest_engine" },
      appUrl: `${baseUrl}/api/inngest`,
      eventKey,
      backoff: () => 200,
      logger: { info: line("info"), warn: line("warn"), error: line("error") },
    });
    await engine.start();

    const user = "operator";
    const password = randomBytes(12).toString("hex");
    const env = appEnvironment({
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATABASE_URL: database.url,
      SENDLINE_DATA_DIR: dataDir,
      INNGEST_DEV: engine.url,
      INNGEST_EVENT_KEY: eventKey,
      DASHBOARD_USER: user,
      DASHBOARD_PASSWORD: password,
      TRACKING_SECRET: randomBytes(32).toString("hex"),
      // Production refuses to start without a key to seal connected mailboxes' credentials with.
      ENCRYPTION_KEYS: randomBytes(32).toString("base64"),
      EMAIL_PROVIDER: "outbox",
      SMS_PROVIDER: "outbox",
      // A campaign of a few dozen recipients takes seconds (one email per request, two requests a
      // second, chunks of five), so a person has time to pause it, resume it and cancel it.
      EMAIL_BATCH_SIZE: "1",
      EMAIL_PROVIDER_RPS: "2",
      CAMPAIGN_CHUNK_SIZE: "5",
      // Several chunks even for a small file, so the import's progress bar has steps to show.
      IMPORT_CHUNK_ROWS: "500",
    });
    next = spawn(path.resolve("node_modules/.bin/next"), ["start", "--port", String(port), "--hostname", HOST], { env, stdio: ["ignore", "pipe", "pipe"] });
    next.stdout!.pipe(log, { end: false });
    next.stderr!.pipe(log, { end: false });
    const exited = new Promise<never>((_, reject) =>
      next!.once("exit", (code, signal) => reject(new Error(`next start exited (${signal ?? code}) before it was ready:\n${logTail(options.logFile)}`))),
    );
    await Promise.race([exited, whenReady(engine, baseUrl)]);
    return { baseUrl, engineUrl: engine.url, databaseUrl: database.url, user, password, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The engine's first successful sync of the app, then a 200 from /api/health (database and readiness). */
async function whenReady(engine: Engine, baseUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "nothing tried yet";
  const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the app was not ready after ${READY_TIMEOUT_MS / 1000} s: ${last}`);
    try {
      await engine.sync();
      break;
    } catch (error) {
      last = `sync: ${(error as Error).message}`;
      await pause();
    }
  }
  for (;;) {
    if (Date.now() > deadline) throw new Error(`the app was not ready after ${READY_TIMEOUT_MS / 1000} s: ${last}`);
    const response = await fetch(`${baseUrl}/api/health`).catch((error: Error) => error);
    if (response instanceof Response && response.ok) return;
    last = response instanceof Response ? `/api/health answered ${response.status}: ${await response.text()}` : `/api/health: ${response.message}`;
    await pause();
  }
}
