import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { embeddedDatabaseDir, runningEmbeddedServer } from "./embedded-server";
import { noDelaySocket } from "./no-delay-socket";
import { ConfigError, envValue } from "@/core/config/env";
import * as schema from "./schema";

export { schema };

/** Both drivers' databases and their transactions share this type; queries take it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = "postgres" | "pglite" | "pglite-server";

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Applies committed migrations (idempotent); another folder (a restore's truncated journal) when given. */
  migrate(migrationsFolder?: string): Promise<void>;
  close(): Promise<void>;
  /** The PGlite instance when embedded in-process; used to serve it to other processes. */
  pglite?: PGlite;
};

/** How long a closing pool lets running queries finish before cutting its connections. */
const SHUTDOWN_GRACE_SECONDS = 5;

// Resolved from the project root: Next bundles this module, so import.meta.url would point into .next/.
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");

export type OpenOptions = {
  /** A postgres:// URL; wins over everything else. */
  url?: string;
  /** PGlite data directory, or "memory://" for a throwaway database. */
  pgliteDir?: string;
};

/**
 * Picks the driver: an explicit URL or DATABASE_URL → postgres.js; otherwise the embedded
 * PGlite server of a running `npm run dev`; otherwise PGlite opened in this process.
 */
export function openDatabase(options: OpenOptions = {}): Database {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url, "postgres");
  // Start-up already refuses this (instrumentation.ts); a script or a stray code path must not slip through either.
  if (!options.pgliteDir && process.env.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new ConfigError("DATABASE_URL is not set: production never falls back to the embedded database under .data/", "DATABASE_URL");
  }
  if (!options.pgliteDir) {
    const server = runningEmbeddedServer();
    if (server) return openPostgres(server.url, "pglite-server");
  }
  return openPglite(options.pgliteDir ?? embeddedDatabaseDir());
}

function openPostgres(url: string, kind: DatabaseKind): Database {
  const options = {
    // The PGlite server multiplexes one backend; a small pool avoids queueing behind itself.
    max: kind === "pglite-server" ? 4 : envValue("DATABASE_POOL_MAX"),
    onnotice: () => {},
    // PGlite's socket server has no SSL and no prepared-statement cache across connections; a
    // transaction-mode pooler hands each transaction a different server connection.
    prepare: kind !== "pglite-server" && !envValue("DATABASE_TRANSACTION_POOLER"),
    // A documented postgres.js option its type declarations leave out (hence not inline here).
    socket: noDelaySocket,
  };
  const client = postgres(url, options);
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind,
    migrate: (migrationsFolder = MIGRATIONS_DIR) => migratePostgres(db as never, { migrationsFolder }),
    close: () => client.end({ timeout: SHUTDOWN_GRACE_SECONDS }),
  };
}

function openPglite(dir: string): Database {
  if (!dir.startsWith("memory://")) fs.mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  const db = drizzlePglite(pglite, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite,
    migrate: (migrationsFolder = MIGRATIONS_DIR) => migratePglite(db as never, { migrationsFolder }),
    close: () => pglite.close(),
  };
}

const globalForDb = globalThis as unknown as { __sendlineDatabase?: Promise<Database> };

/**
 * The process-wide database. Kept on globalThis so Next's module reloading in development
 * never opens a second handle. Migrations run on first use outside production (and always
 * for embedded PGlite, which has no separate deploy step).
 */
export function getDatabase(): Promise<Database> {
  globalForDb.__sendlineDatabase ??= (async () => {
    const database = openDatabase();
    if (process.env.NODE_ENV !== "production" || database.kind !== "postgres") await database.migrate();
    return database;
  })().catch((error: unknown) => {
    // A failed start (database down, migration error) must not be cached: the next call retries.
    globalForDb.__sendlineDatabase = undefined;
    throw error;
  });
  return globalForDb.__sendlineDatabase;
}

/** Closes the process-wide database if one was opened (shutdown). */
export async function closeDatabase(): Promise<void> {
  const opened = globalForDb.__sendlineDatabase;
  globalForDb.__sendlineDatabase = undefined;
  if (opened) await (await opened.catch(() => null))?.close();
}

/** For tests: install a database as the process-wide one. */
export function setDatabase(database: Database | undefined): void {
  globalForDb.__sendlineDatabase = database ? Promise.resolve(database) : undefined;
}
