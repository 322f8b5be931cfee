import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import journal from "@/db/migrations/meta/_journal.json";
import { schemaVersion } from "@/db/queries/schema-version";
import { createTestDatabase } from "@/test/support/database";

const tags = journal.entries.map((entry) => entry.tag);
const newest = tags.at(-1)!;

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

describe("schemaVersion", () => {
  it("reports a migrated database as current", async () => {
    database = await createTestDatabase();
    expect(await schemaVersion(database.db)).toEqual({ expected: newest, applied: newest, pending: [] });
  });

  it("reports a database never migrated as lacking every migration, without failing on the missing table", async () => {
    database = await createTestDatabase({ migrate: false });
    expect(await schemaVersion(database.db)).toEqual({ expected: newest, applied: null, pending: tags });
  });

  it("names the migrations a database one deploy behind lacks", async () => {
    database = await createTestDatabase();
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
    expect(await schemaVersion(database.db)).toEqual({ expected: newest, applied: tags.at(-2), pending: [newest] });
  });
});
