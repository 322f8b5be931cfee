/**
 * npm run smoke:production — the production path end to end, on the build `npm run build` made
 * (CI runs it right after its build step). Nothing here is mocked:
 *
 *  1. the build's function traces hold nothing from .data/, test/, bench/ or engine/;
 *  2. `next start` without DATABASE_URL exits non-zero with the start-up message;
 *  3. a fresh PostgreSQL database is migrated with the production command (compiled, no tsx);
 *  4. `next start` with a production environment, and the local engine in cloud mode (signing
 *     key set: every call it makes is signed, every event needs the event key);
 *  5. readiness answers 200; a notification sent through the API runs its function through the
 *     engine to the outbox; an unsigned call and a forged-Host PUT to /api/inngest are refused,
 *     and the engine still knows the app only at PUBLIC_URL;
 *  6. SIGTERM stops the server cleanly.
 *
 * Flags: --postgres <server url> (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { envValue } from "@/core/config/env";
import { cliArgs } from "./cli-args";

const ROOT = process.cwd();
const NEXT_BIN = path.join(ROOT, "node_modules/.bin/next");
const FORBIDDEN_IN_TRACES = [".data", "test", "bench", "engine"];
const STEP_TIMEOUT_MS = 90_000;

const args = cliArgs({ postgres: { type: "string" } });
const serverUrl = args.postgres ?? envValue("TEST_DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test";

const started: ChildProcess[] = [];
let failed = false;

function say(line: string) {
  console.log(`[smoke] ${line}`);
}

function check(condition: unknown, what: string, detail?: unknown): void {
  if (condition) {
    say(`ok   ${what}`);
    return;
  }
  failed = true;
  say(`FAIL ${what}${detail === undefined ? "" : `: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a process in its own group (so stopping it stops its children), keeping its output. */
function start(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, argv, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : null))));
  return { name, child, exited, output: () => output };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = STEP_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not reached within ${ms} ms (last: ${JSON.stringify(last) ?? String(lastError)})`);
}

/** Files under .data/, test/, bench/ or engine/ that any server function of the build would ship with. */
export function forbiddenTracedFiles(root = ROOT): string[] {
  const found = new Set<string>();
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name.endsWith(".nft.json") ? [full] : [];
    });
  for (const trace of walk(path.join(root, ".next/server"))) {
    const { files } = JSON.parse(fs.readFileSync(trace, "utf8")) as { files: string[] };
    for (const file of files) {
      const relative = path.relative(root, path.resolve(path.dirname(trace), file));
      if (FORBIDDEN_IN_TRACES.includes(relative.split(path.sep)[0]!)) found.add(relative);
    }
  }
  return [...found].sort();
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID")) || !fs.existsSync(path.join(ROOT, "dist/cli/db-migrate.mjs"))) {
    throw new Error("no production build here: run `npm run build` first (with INNGEST_SIGNING_KEY set)");
  }

  // ---- 1. what the build would deploy
  const forbidden = forbiddenTracedFiles();
  check(forbidden.length === 0, `function traces hold nothing from ${FORBIDDEN_IN_TRACES.map((dir) => `${dir}/`).join(", ")}`, forbidden.slice(0, 10));

  // ---- a fresh database and a production environment
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const dbName = `sendline_smoke_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create database ${dbName}`);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${dbName}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-smoke-"));
  const [appPort, enginePort] = [await freePort(), await freePort()];
  const publicUrl = `http://127.0.0.1:${appPort}`;
  const engineUrl = `http://127.0.0.1:${enginePort}`;
  const signingKey = `signkey-prod-${randomBytes(32).toString("hex")}`;
  const eventKey = `smoke-${randomBytes(8).toString("hex")}`;

  const base: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of Object.keys(base)) if (/^(INNGEST_|ENGINE_|S3_|DATABASE_|TEST_DATABASE_URL$|SENDLINE_|PUBLIC_URL$|TRACKING_SECRET|ENCRYPTION_KEYS)/.test(name)) delete base[name];
  const appEnv: NodeJS.ProcessEnv = {
    ...base,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl.toString(),
    SENDLINE_DATA_DIR: dataDir,
    PUBLIC_URL: publicUrl,
    TRACKING_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEYS: randomBytes(32).toString("base64"),
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_BASE_URL: engineUrl,
  };

  try {
    // ---- 2. a production start without DATABASE_URL is refused, by name
    const { DATABASE_URL: _none, ...withoutDatabase } = appEnv;
    const refused = start("next start (no DATABASE_URL)", NEXT_BIN, ["start", "-p", String(await freePort()), "-H", "127.0.0.1"], withoutDatabase);
    const refusedCode = await within(STEP_TIMEOUT_MS, "next start without DATABASE_URL", refused.exited).catch((error: Error) => {
      stop(refused.child, "SIGKILL");
      return error.message;
    });
    check(typeof refusedCode === "number" && refusedCode !== 0, "next start without DATABASE_URL exits non-zero", refusedCode);
    check(refused.output().includes("DATABASE_URL is not set"), "…and says DATABASE_URL is not set", refused.output().slice(-1500));

    // ---- 3. the production migrate command, compiled (no tsx)
    const migrate = start("db:migrate", process.execPath, ["scripts/cli.mjs", "db-migrate"], appEnv);
    const migrateCode = await within(STEP_TIMEOUT_MS, "db:migrate", migrate.exited);
    check(migrateCode === 0 && migrate.output().includes("Migrations applied (postgres)"), "npm run db:migrate (compiled) migrates a fresh database", migrate.output());
    const workspace = start("workspace:create", process.execPath, ["scripts/cli.mjs", "workspace-create", "--name", "Smoke", "--json"], appEnv);
    await within(STEP_TIMEOUT_MS, "workspace:create", workspace.exited);
    const { apiKey } = JSON.parse(workspace.output().trim().split("\n").at(-1)!) as { apiKey: string };

    // ---- 4. the engine in cloud mode and the app
    const engine = start("engine", process.execPath, ["--import", "tsx", "engine/cli.ts"], {
      ...base,
      ENGINE_PORT: String(enginePort),
      ENGINE_APP_URL: `${publicUrl}/api/inngest`,
      ENGINE_DATABASE_URL: databaseUrl.toString(),
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: eventKey,
    });
    const app = start("next start", NEXT_BIN, ["start", "-p", String(appPort), "-H", "127.0.0.1"], appEnv);
    const get = async (url: string, init?: RequestInit) => {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      return { status: response.status, body: (await response.text()) || "" };
    };

    // ---- 5. readiness, a signed call through the engine, and the refusals
    await poll("liveness", () => get(`${publicUrl}/api/health/live`), (r) => r.status === 200);
    const ready = await poll("readiness", () => get(`${publicUrl}/api/health`), (r) => r.status === 200).catch((error: Error) => ({ status: 0, body: error.message }));
    check(ready.status === 200 && JSON.parse(ready.body).status === "ok", "GET /api/health answers 200 ok", ready.body);
    const apps = await poll("engine sync", async () => (await get(`${engineUrl}/api/apps`)).body, (body) => body.includes(`${publicUrl}/api/inngest`)).catch((error: Error) => error.message);
    check(apps.includes(`${publicUrl}/api/inngest`), "the engine synced the app with a signed PUT", `${apps}\n${engine.output().slice(-1500)}`);

    const sent = await fetch(`${publicUrl}/api/v1/notifications`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ messageId: "smoke-1", channel: "email", to: "ann@example.com", subject: "Hello {{ name }}", body: "<p>Hi {{ name }}</p>", data: { name: "Ann" } }),
    });
    const notification = (await sent.json()) as { id?: string };
    check(sent.status === 202 && notification.id, "POST /api/v1/notifications is accepted", notification);
    const delivered = await poll(
      "notification sent",
      async () => (await get(`${publicUrl}/api/v1/notifications/${notification.id}`, { headers: { authorization: `Bearer ${apiKey}` } })).body,
      (body) => JSON.parse(body).status === "sent",
    ).catch((error: Error) => error.message);
    check(delivered.includes('"status":"sent"'), "the engine ran the function with signed calls and the message reached the outbox", `${delivered}\n${app.output().slice(-1500)}`);
    // The message is marked sent inside a step; its run completes a moment later.
    const runs = await poll("a completed run", async () => JSON.parse((await get(`${engineUrl}/api/runs?status=completed`)).body) as unknown[], (list) => list.length > 0).catch(
      (error: Error) => error.message,
    );
    check(Array.isArray(runs), "the engine lists the run as completed", runs);

    const unsigned = await get(`${publicUrl}/api/inngest?fnId=sendline-send-notification&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: { name: "x", data: {} }, events: [], steps: {}, ctx: { run_id: "r", attempt: 0 } }),
    });
    check(unsigned.status === 401, "an unsigned call to POST /api/inngest is refused (401)", unsigned);
    const forged = await get(`${publicUrl}/api/inngest`, { method: "PUT", headers: { host: "attacker.example" } });
    check(forged.status === 401, "an unsigned PUT /api/inngest with a forged Host is refused (401)", forged);
    const appsAfter = JSON.parse((await get(`${engineUrl}/api/apps`)).body) as Array<{ url: string }>;
    check(appsAfter.every((a) => a.url === `${publicUrl}/api/inngest`), "the engine knows the app only at PUBLIC_URL", appsAfter);

    // ---- 6. a clean stop
    stop(app.child);
    const stopped = await within(30_000, "SIGTERM", app.exited).catch((error: Error) => error.message);
    check(stopped === 143 || stopped === 0, "next start stops on SIGTERM", stopped);
    stop(engine.child);
  } finally {
    for (const child of started) stop(child, "SIGKILL");
    await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main()
  .catch((error: unknown) => {
    failed = true;
    say(`FAIL ${(error as Error).stack ?? String(error)}`);
  })
  .finally(() => {
    say(failed ? "production smoke test FAILED" : "production smoke test passed");
    process.exit(failed ? 1 : 0);
  });
