import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import journal from "@/db/migrations/meta/_journal.json";
import { schemaVersion } from "@/db/queries/schema-version";
import { createTestDatabase } from "@/test/support/database";

const tags = journal.entries.map((entry) => entry.tag);
const newest = tags.at(-1)!;

// One migrated database for the file (migrating is the slow part); the last test rolls its record back.
let migrated: Database;
beforeAll(async () => {
  migrated = await createTestDatabase();
});
afterAll(async () => {
  await migrated.close();
});

describe("schemaVersion", () => {
  it("reports a migrated database as current", async () => {
    expect(await schemaVersion(migrated.db)).toEqual({ expected: newest, applied: newest, pending: [] });
  });

  it("reports a database never migrated as lacking every migration, without failing on the missing table", async () => {
    const empty = await createTestDatabase({ migrate: false });
    try {
      expect(await schemaVersion(empty.db)).toEqual({ expected: newest, applied: null, pending: tags });
    } finally {
      await empty.close();
    }
  });

  it("names the migrations a database one deploy behind lacks", async () => {
    await migrated.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
    expect(await schemaVersion(migrated.db)).toEqual({ expected: newest, applied: tags.at(-2), pending: [newest] });
  });
});
