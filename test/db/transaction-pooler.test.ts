import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/db";
import { rowsOf } from "@/db/queries/rows-of";
import { createTestDatabase } from "@/test/support/database";

afterEach(() => vi.unstubAllEnvs());

/** Runs a parameterised query twice on one connection and counts the named statements that session kept. */
async function preparedStatementsKept(): Promise<number> {
  const server = await createTestDatabase();
  const url = new URL(process.env.TEST_DATABASE_URL!);
  // createTestDatabase names a fresh database; reach the same one through a one-connection pool.
  const [row] = rowsOf<{ name: string }>(await server.db.execute(sql`select current_database() as name`));
  url.pathname = `/${row!.name}`;
  vi.stubEnv("DATABASE_POOL_MAX", "1");
  const database = openDatabase({ url: url.toString() });
  try {
    for (let i = 0; i < 2; i++) await database.db.execute(sql`select ${i}::int + 1 as n`);
    const [kept] = rowsOf<{ count: string }>(await database.db.execute(sql`select count(*)::text as count from pg_prepared_statements`));
    return Number(kept!.count);
  } finally {
    await database.close();
    await server.close();
  }
}

describe.runIf(process.env.TEST_DATABASE_URL)("PostgreSQL behind a transaction-mode pooler", () => {
  it("keeps named prepared statements on a direct connection", async () => {
    expect(await preparedStatementsKept()).toBeGreaterThan(0);
  });

  it("keeps none with DATABASE_TRANSACTION_POOLER=1, so any server connection can run any query", async () => {
    vi.stubEnv("DATABASE_TRANSACTION_POOLER", "1");
    expect(await preparedStatementsKept()).toBe(0);
  });
});
