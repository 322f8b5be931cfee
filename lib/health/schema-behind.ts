import type { SchemaVersion } from "@/db/queries/schema-version";

/** Why a database behind the code must not serve it, in one line; null when it is current. */
export function schemaBehind(version: SchemaVersion): string | null {
  if (version.pending.length === 0) return null;
  const where = version.applied ? `is at ${version.applied}` : "has never been migrated";
  const count = version.pending.length === 1 ? "1 migration is" : `${version.pending.length} migrations are`;
  return `the database schema ${where} but this code needs ${version.expected} (${count} pending): run \`npm run db:migrate\` with this DATABASE_URL first`;
}
