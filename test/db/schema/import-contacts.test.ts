import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { deleteContact } from "@/db/queries/contacts";
import { rowsOf } from "@/db/queries/rows-of";
import { contacts, imports, workspaces } from "@/db/schema";
import { importChunk, inspectImport } from "@/lib/imports/run-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createImportFrom, setUpImportTestFile } from "@/test/inngest/functions/imports/import-harness";

let database: Database;
await setUpImportTestFile((opened) => (database = opened));

/** Imports `text` in one chunk; returns the import's id. */
async function imported(workspaceId: string, text: string): Promise<string> {
  const { row } = await createImportFrom(database, workspaceId, { name: "people.csv", text });
  const ids = { workspaceId, importId: row.id };
  const inspected = await inspectImport(database, createFileStorage(), ids);
  if (!("total" in inspected)) throw new Error(`import did not start: ${inspected.status}`);
  await importChunk(database, createFileStorage(), { ...ids, n: 0, inspected });
  return row.id;
}

async function recorded(importId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM import_contacts WHERE import_id = ${importId}::uuid`));
  return row!.n;
}

// import_contacts has no foreign keys (each would cost a check per imported row); these are the
// cascades its triggers keep.
describe("an import's record of its contacts", () => {
  it("loses a contact that is deleted", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "forget contact" });
    const importId = await imported(workspace.id, "email\nann@example.com\nbob@example.com\n");
    expect(await recorded(importId)).toBe(2);
    const [ann] = await database.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, "ann@example.com"));
    expect(await deleteContact(database.db, { workspaceId: workspace.id, contactId: ann!.id })).toBe(true);
    expect(await recorded(importId)).toBe(1);
  });

  it("goes with its import", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "forget import" });
    const importId = await imported(workspace.id, "email\ncid@example.com\n");
    await database.db.delete(imports).where(eq(imports.id, importId));
    expect(await recorded(importId)).toBe(0);
  });

  it("goes with its workspace", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "forget workspace" });
    const importId = await imported(workspace.id, "email\ndee@example.com\neve@example.com\n");
    await database.db.delete(workspaces).where(eq(workspaces.id, workspace.id));
    expect(await recorded(importId)).toBe(0);
  });
});
