import fs from "node:fs";
import path from "node:path";
import { openPgliteThread } from "./pglite-thread-client";

/** The engine's whole database dependency: positional-parameter queries and a transaction helper. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction; single-process engine, so this serialises writers that must be atomic. */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseOption = { url: string; schema?: string } | { pgliteDir: string; schema?: string };

export const DEFAULT_SCHEMA = "inngest_engine";

/** Picks ENGINE_DATABASE_URL, then DATABASE_URL, then an embedded PGlite under $SENDLINE_DATA_DIR/engine. */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOption {
  const url = env.ENGINE_DATABASE_URL || env.DATABASE_URL;
  if (url) return { url };
  return { pgliteDir: path.join(env.SENDLINE_DATA_DIR || ".data", "engine") };
}

export async function openSql(db: DatabaseOption): Promise<Sql> {
  const schema = db.schema ?? DEFAULT_SCHEMA;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if ("url" in db) return openPostgres(db.url, schema);
  const memory = db.pgliteDir.startsWith("memory://");
  if (!memory) fs.mkdirSync(db.pgliteDir, { recursive: true });
  return openPgliteThread(memory ? "memory://" : db.pgliteDir, schema);
}

async function openPostgres(url: string, schema: string): Promise<Sql> {
  const { default: postgres } = await import("postgres");
  // One connection keeps transaction semantics trivial; the engine is a dev/CI server.
  // synchronous_commit off: every engine write is a small autocommit statement, and waiting for the
  // WAL flush of each one capped throughput at ~100 statements/s on an ordinary disk. The engine
  // keeps its own crash guarantees (a killed engine loses nothing: commits are in PostgreSQL);
  // only a crash of the PostgreSQL server itself may drop the last fraction of a second.
  const client = postgres(url, { max: 4, onnotice: () => {}, connection: { search_path: schema, synchronous_commit: "off" } });
  await client.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  type Unsafe = { unsafe: (text: string, params?: never[], options?: { prepare: boolean }) => Promise<unknown> };
  const wrap = (c: Unsafe, inTx: boolean): Sql => ({
    // Prepared: the engine's statements are a fixed set, so each is parsed and planned once per
    // connection, and a call is one round trip (an unprepared one first asks the server for its
    // parameter types, a second round trip, every time).
    query: async <T>(text: string, params: unknown[] = []) => (await c.unsafe(text, params as never[], { prepare: true })) as T[],
    tx: async <T>(fn: (q: Sql) => Promise<T>) => {
      if (inTx) return fn(wrap(c, true));
      return (await client.begin((t) => fn(wrap(t as unknown as Unsafe, true)))) as T;
    },
    close: async () => {
      await client.end({ timeout: 2 });
    },
  });
  return wrap(client as unknown as Unsafe, false);
}
