import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, importErrors } from "@/db/schema";
import { importChunk, inspectImport } from "@/lib/imports/run-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";
import { createImportFrom, importRow, setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";

const env = await setUpImportEnvironment();

let database: Database;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await database.close();
  await env.tearDown();
});

async function importInOneChunk(workspaceId: string, text: string) {
  const { row } = await createImportFrom(database, workspaceId, { name: "race.csv", text });
  const ids = { workspaceId, importId: row.id };
  const inspected = await inspectImport(database, createFileStorage(), ids);
  if (!("total" in inspected)) throw new Error(`import did not start: ${inspected.status}`);
  return { ids, chunk: () => importChunk(database, createFileStorage(), { ...ids, n: 0, inspected }) };
}

describe("mergeImportChunk", () => {
  it("gives new contacts time-ordered (v7) ids", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "v7" });
    const { chunk } = await importInOneChunk(workspace.id, "email\na@example.com\nb@example.com\nc@example.com\n");
    await chunk();
    const rows = await database.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.workspaceId, workspace.id));
    expect(rows).toHaveLength(3);
    for (const { id } of rows) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The first 48 bits are the creation time in milliseconds.
    const ms = Number.parseInt(rows[0]!.id.replaceAll("-", "").slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
  });

  // Only a server has a second connection that can write between the chunk's matching and its
  // insert; in-process PGlite runs one statement at a time, so the race cannot happen there.
  it.runIf(process.env.TEST_DATABASE_URL)(
    "a contact another connection creates mid-chunk is reported on its row; the rest of the chunk still lands",
    async () => {
      const { workspace } = await createWorkspace(database.db, { name: "race" });
      const { ids, chunk } = await importInOneChunk(workspace.id, "email,first name\nfirst@example.com,A\nraced@example.com,B\nlast@example.com,C\n");
      const server = new URL(process.env.TEST_DATABASE_URL!);
      const [{ name }] = (await database.db.execute(sql`SELECT current_database() AS name`)) as unknown as [{ name: string }];
      server.pathname = `/${name}`;
      // Two connections: one holds the open transaction, the other watches for the chunk to wait.
      const other = postgres(server.toString(), { max: 2, onnotice: () => {} });
      try {
        // The other writer holds an uncommitted insert of the same email: the chunk's matching
        // cannot see it, and the chunk's insert waits on it until it commits.
        const reserved = await other.reserve();
        await reserved`BEGIN`;
        await reserved`INSERT INTO contacts (workspace_id, email, first_name) VALUES (${workspace.id}, 'raced@example.com', 'API')`;
        const running = chunk();
        for (let waited = 0; ; waited += 20) {
          const [blocked] = await other<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${name} AND wait_event_type = 'Lock'`;
          if (blocked!.n > 0) break;
          if (waited > 10_000) throw new Error("the chunk never waited on the other writer");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await reserved`COMMIT`;
        reserved.release();
        await running;
      } finally {
        await other.end({ timeout: 5 });
      }

      expect(await importRow(database, workspace.id, ids.importId)).toMatchObject({ processed: 3, inserted: 2, failed: 1 });
      const stored = await database.db
        .select({ email: contacts.email, firstName: contacts.firstName })
        .from(contacts)
        .where(eq(contacts.workspaceId, workspace.id))
        .orderBy(contacts.email);
      expect(stored).toEqual([
        { email: "first@example.com", firstName: "A" },
        { email: "last@example.com", firstName: "C" },
        { email: "raced@example.com", firstName: "API" },
      ]);
      const errors = await database.db
        .select({ line: importErrors.line, reason: importErrors.reason })
        .from(importErrors)
        .where(and(eq(importErrors.importId, ids.importId)));
      expect(errors).toEqual([{ line: 3, reason: expect.stringContaining("another write created this contact") }]);
    },
  );
});
