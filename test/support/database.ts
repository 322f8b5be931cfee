import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type Database, openDatabase, setDatabase } from "@/db";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a brand-new
 * database on the PostgreSQL server named by TEST_DATABASE_URL (dropped on close), so test
 * files can run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(options: { /** false: an empty database, as a deploy finds it before `db:migrate` */ migrate?: boolean } = {}): Promise<Database> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = openDatabase({ pgliteDir: "memory://" });
    if (options.migrate !== false) await database.migrate();
    return database;
  }
  return createServerDatabase(serverUrl, options);
}

/**
 * A brand-new database (migrated unless `migrate: false`) on the PostgreSQL server at `serverUrl` (an admin connection
 * string), dropped with everything in it on close. `url` is its own connection string, for a
 * process that connects by itself (the browser suite's `next start`).
 */
export async function createServerDatabase(serverUrl: string, options: { migrate?: boolean } = {}): Promise<Database & { url: string }> {
  const name = `sendline_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = openDatabase({ url: url.toString() });
  if (options.migrate !== false) await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Installs a fresh test database as the process-wide one (what route handlers and functions use). */
export async function useTestDatabase(): Promise<Database> {
  const database = await createTestDatabase();
  setDatabase(database);
  return database;
}
