import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Database, openDatabase, setDatabase } from "@/db";
import { advertiseEmbeddedServer, withdrawEmbeddedServer } from "@/db/embedded-server";
import { rowsOf } from "@/db/queries/rows-of";
import { servePglite } from "@/db/pglite-wire-server";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { contactCount, createImportFrom, generatedCsv, importRow, runImport, setUpImportEnvironment } from "./import-harness";

/**
 * Under `npm run dev` the app reaches PGlite through the embedded wire server, which cannot
 * relay COPY; imports take their other staging path there. This runs one through it.
 */
const env = await setUpImportEnvironment();
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");

let pglite: PGlite;
let server: Awaited<ReturnType<typeof servePglite>>;
let database: Database;

beforeAll(async () => {
  pglite = new PGlite("memory://");
  server = await servePglite(pglite, { host: "127.0.0.1", port: 0 });
  advertiseEmbeddedServer({ pid: process.pid, url: server.url, dir: "memory://" });
  database = openDatabase();
  expect(database.kind).toBe("pglite-server");
  await database.migrate();
  setDatabase(database);
});
afterAll(async () => {
  await database.close();
  withdrawEmbeddedServer(process.pid);
  await server.close();
  await pglite.close();
  await env.tearDown();
});

it("imports in chunks through the embedded server, and a second post of the file adds nothing", { timeout: 120_000 }, async () => {
  const { workspace } = await createWorkspace(database.db, { name: "Embedded" });
  const csv = generatedCsv(1_200);
  const { row } = await createImportFrom(database, workspace.id, { name: "contacts.csv", text: csv }, { chunkRows: 500 });
  const { error } = await runImport(importContacts, workspace.id, row.id);
  expect(error).toBeUndefined();
  expect(await importRow(database, workspace.id, row.id)).toMatchObject({ status: "completed", total: 1_200, processed: 1_200, inserted: 1_200, failed: 0 });
  expect(await contactCount(database, workspace.id)).toBe(1_200);

  const again = await createImportFrom(database, workspace.id, { name: "contacts.csv", text: csv }, { chunkRows: 500 });
  expect(again.row.id).toBe(row.id);
  expect(await contactCount(database, workspace.id)).toBe(1_200);
});

it("stages birthdays without a year and tags as lists through the embedded server too", { timeout: 120_000 }, async () => {
  const { workspace } = await createWorkspace(database.db, { name: "Embedded exports" });
  const text = "Email,Birthday,Tags\nann@example.com,--11-23,\"VIP;Friends\"\nbob@example.com,11/23/1990,VIP\n";
  const { row } = await createImportFrom(database, workspace.id, { name: "tags.csv", text }, { tagsAs: "lists" });
  const { error } = await runImport(importContacts, workspace.id, row.id);
  expect(error).toBeUndefined();
  expect(await importRow(database, workspace.id, row.id)).toMatchObject({ status: "completed", inserted: 2, failed: 0 });
  const stored = await database.db.execute<{ email: string; birthday: string | null; month: number; day: number; lists: string }>(sql`
    select c.email, c.birthday::text as birthday, c.birthday_month as month, c.birthday_day as day,
           (select string_agg(l.name, ',' order by l.name) from list_members m join lists l on l.id = m.list_id where m.contact_id = c.id) as lists
    from contacts c where c.workspace_id = ${workspace.id}::uuid order by c.email`);
  expect(rowsOf(stored)).toEqual([
    { email: "ann@example.com", birthday: null, month: 11, day: 23, lists: "Friends,VIP" },
    { email: "bob@example.com", birthday: "1990-11-23", month: 11, day: 23, lists: "VIP" },
  ]);
});
