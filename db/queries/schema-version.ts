import { sql } from "drizzle-orm";
import type { Db } from "@/db";
// Bundled into the build, so the version the code expects travels with the code, not with the files beside it.
import journal from "@/db/migrations/meta/_journal.json";
import { rowsOf } from "./rows-of";

export type SchemaVersion = {
  /** The newest migration this code was built with. */
  expected: string;
  /** The newest migration applied to the database; null for a database never migrated. */
  applied: string | null;
  /** Migrations the code expects that the database lacks, oldest first. */
  pending: string[];
};

const migrations = journal.entries.map((entry) => ({ tag: entry.tag, when: entry.when }));

/**
 * Compares the database with db/migrations the way drizzle's migrator decides what to apply:
 * by the newest `created_at` in `drizzle.__drizzle_migrations` (each migration's journal
 * `when`). A database ahead of the code (a rollback, or old instances still serving during a
 * deploy that migrated first) is not behind: migrations only add, so older code keeps working.
 */
export async function schemaVersion(db: Db): Promise<SchemaVersion> {
  // Asked first, apart: a never-migrated database has no such table, which is an answer, not an error.
  const [table] = rowsOf<{ present: boolean }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`));
  const [row] = table?.present ? rowsOf<{ newest: string | null }>(await db.execute(sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`)) : [];
  const newest = row?.newest == null ? null : Number(row.newest);
  const pending = migrations.filter((migration) => newest === null || migration.when > newest).map((migration) => migration.tag);
  const applied = newest === null ? null : ([...migrations].reverse().find((migration) => migration.when <= newest)?.tag ?? "unknown");
  return { expected: migrations.at(-1)!.tag, applied, pending };
}
