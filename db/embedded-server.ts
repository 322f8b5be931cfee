import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/core/config/data-dir";

/**
 * PGlite is one Postgres backend in one process, so two processes must never open the same
 * files. While `npm run dev` runs, the launcher owns the files and serves them over the
 * Postgres wire protocol; it advertises itself in this file so other processes (Next, the
 * engine, `npm run workspace:create`) connect to it instead of opening the files.
 */
export type EmbeddedServerInfo = { pid: number; url: string; dir: string };

export function embeddedServerFile(): string {
  return path.join(dataDir(), "pglite-server.json");
}

export function embeddedDatabaseDir(): string {
  return path.join(dataDir(), "pglite");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running embedded server's URL, or null when none runs (a stale file is ignored). */
export function runningEmbeddedServer(): EmbeddedServerInfo | null {
  let info: EmbeddedServerInfo;
  try {
    info = JSON.parse(fs.readFileSync(embeddedServerFile(), "utf8")) as EmbeddedServerInfo;
  } catch {
    return null;
  }
  return isAlive(info.pid) ? info : null;
}

export function advertiseEmbeddedServer(info: EmbeddedServerInfo): void {
  fs.mkdirSync(path.dirname(embeddedServerFile()), { recursive: true });
  fs.writeFileSync(embeddedServerFile(), JSON.stringify(info));
}

export function withdrawEmbeddedServer(pid: number): void {
  const current = runningEmbeddedServer();
  if (!current || current.pid === pid) fs.rmSync(embeddedServerFile(), { force: true });
}
