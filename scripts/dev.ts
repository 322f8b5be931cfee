/**
 * npm run dev — the whole system on embedded defaults, no accounts, no servers to install:
 *  1. the database: PGlite under .data/ (or DATABASE_URL), migrated, served over the Postgres
 *     wire protocol so Next, the engine and CLIs can share it while this runs;
 *  2. a demo workspace on first start, its API key printed once;
 *  3. the engine (engine/cli.ts) on 127.0.0.1:8288, syncing the app;
 *  4. `next dev` on port 3000 with INNGEST_DEV pointing at the engine;
 *  5. "ready", with the URLs and what is configured, only once the engine has synced the app:
 *     an event sent before that would match no function and its work would be lost.
 * The environment is checked first: an unusable value stops it with the variable named.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openDatabase } from "@/db";
import { servePglite } from "@/db/pglite-wire-server";
import { listWorkspaces } from "@/db/queries/workspaces";
import { advertiseEmbeddedServer, embeddedDatabaseDir, runningEmbeddedServer, withdrawEmbeddedServer } from "@/db/embedded-server";
import { type ConfigurationLine, configurationReport } from "@/lib/config/configuration-report";
import { envValue } from "@/core/config/env";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { waitForAppSync } from "./wait-for-app-sync";

const HOST = "127.0.0.1";
const startedAt = Date.now();

const { issues } = configurationReport();
if (issues.length > 0) {
  console.error("\n  The environment has values Sendline cannot use:\n");
  for (const issue of issues) console.error(`    ${issue.message}`);
  console.error("\n  Fix or unset them (every variable is described in README.md, \"Environment variables\").\n");
  process.exit(1);
}

const APP_PORT = envValue("PORT");
const ENGINE_PORT = envValue("ENGINE_PORT");
const EMBEDDED_DB_PORT = envValue("SENDLINE_DB_PORT");

const children: ChildProcess[] = [];
let shuttingDown = false;

if (!process.env.DATABASE_URL && runningEmbeddedServer()) {
  console.error("Another `npm run dev` owns the embedded database (.data/). Stop it first.");
  process.exit(1);
}

const database = openDatabase(process.env.DATABASE_URL ? {} : { pgliteDir: embeddedDatabaseDir() });
await database.migrate();

let embeddedServer: Awaited<ReturnType<typeof servePglite>> | undefined;
if (database.pglite) {
  embeddedServer = await servePglite(database.pglite, { host: HOST, port: EMBEDDED_DB_PORT });
  advertiseEmbeddedServer({ pid: process.pid, url: embeddedServer.url, dir: embeddedDatabaseDir() });
}

if ((await listWorkspaces(database.db)).length === 0) {
  const { workspace, apiKey } = await createWorkspace(database.db, { name: "Demo" });
  console.log(`\n  Demo workspace created: ${workspace.id}`);
  console.log(`  API key (shown once, store it now): ${apiKey}\n`);
}

const engineUrl = `http://${HOST}:${ENGINE_PORT}`;
const appUrl = `http://${HOST === "127.0.0.1" ? "localhost" : HOST}:${APP_PORT}`;
const serveUrl = process.env.ENGINE_APP_URL ?? `http://${HOST}:${APP_PORT}/api/inngest`;
const appEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(APP_PORT), INNGEST_DEV: process.env.INNGEST_DEV ?? engineUrl };
const stopWaiting = new AbortController();

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit", env });
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    stopWaiting.abort();
    console.error(`[dev] ${name} exited (${signal ?? code}); stopping.`);
    void shutdown(typeof code === "number" && code !== 0 ? code : 1);
  });
  children.push(child);
  return child;
}

const bin = (name: string) => `node_modules/.bin/${name}`;

// The engine keeps its own state: with DATABASE_URL it uses a schema there, otherwise its own
// PGlite under .data/engine. It must not inherit a DATABASE_URL meant for someone else.
start("engine", bin("tsx"), ["engine/cli.ts"], {
  ...process.env,
  ENGINE_PORT: String(ENGINE_PORT),
  ENGINE_HOST: HOST,
  ENGINE_APP_URL: serveUrl,
});
start("next", bin("next"), ["dev", "--port", String(APP_PORT), "--hostname", HOST], appEnv);

console.log(`\n  Starting: waiting for the engine's first sync of the app at ${serveUrl} (nothing is ready before it).\n`);
try {
  const synced = await waitForAppSync({
    engineUrl,
    appUrl: serveUrl.split(",")[0]!.trim(),
    since: startedAt,
    signal: stopWaiting.signal,
    onWaiting: (reason) => console.log(`  … waiting: ${reason}`),
  });
  printReady(synced.functions, Date.now() - startedAt);
} catch (error) {
  if (!shuttingDown) {
    console.error("[dev] stopped waiting for the first sync:", (error as Error).message);
    void shutdown(1);
  }
}

function printReady(functions: number, afterMs: number): void {
  const width = Math.max(...configurationReport(appEnv).lines.map((line) => line.area.length));
  const mark: Record<ConfigurationLine["state"], string> = { ready: "✓", local: "·", half: "!", off: "–" };
  console.log(`\n  Sendline is ready (${functions} functions synced, ${(afterMs / 1000).toFixed(1)} s)\n`);
  console.log(`  Dashboard and API   ${appUrl}`);
  console.log(`  Health              ${appUrl}/api/health`);
  console.log(`  Inngest engine UI   ${engineUrl}\n`);
  for (const line of configurationReport(appEnv).lines) console.log(`  ${mark[line.state]} ${line.area.padEnd(width)}  ${line.text}`);
  console.log("");
}

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  await embeddedServer?.close();
  withdrawEmbeddedServer(process.pid);
  await database.close();
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
