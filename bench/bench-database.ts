import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export type BenchDatabase = {
  app: { url: string } | { pgliteDir: string };
  engine: { url: string; schema: string } | { pgliteDir: string };
  label: string;
  drop(): Promise<void>;
};

/**
 * A fresh database for one bench run on the server at `serverUrl` (the app's tables and the
 * engine's schema side by side), dropped afterwards; or PGlite directories in a temp folder
 * when the server is unreachable, so a bench runs on a fresh clone with nothing installed.
 */
export async function benchDatabase(serverUrl: string, prefix: string): Promise<BenchDatabase> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const name = `sendline_bench_${randomBytes(5).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      app: { url: url.toString() },
      engine: { url: url.toString(), schema: "inngest_engine" },
      label: "PostgreSQL (fresh database for the app and the engine)",
      async drop() {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await admin.end({ timeout: 1 }).catch(() => {});
    console.log(`PostgreSQL unreachable (${(error as Error).message}); using PGlite.`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return {
      app: { pgliteDir: path.join(dir, "app") },
      engine: { pgliteDir: path.join(dir, "engine") },
      label: "PGlite (in-process, file-backed)",
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
}
