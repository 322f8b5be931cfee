import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contactEnrichments, contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createImportFrom, generatedCsv, runImport, sentEvents, setUpImportTestFile } from "../imports/import-harness";

let database: Database;
await setUpImportTestFile((opened) => (database = opened));
const { importContacts } = await import("@/inngest/functions/imports/import-contacts");
const { ENRICH_IMPORTED_PAGE_SIZE, enrichImportedContacts } = await import("@/inngest/functions/contacts/enrich-imported-contacts");

const enrichedIn = async (workspaceId: string) => {
  const [row] = await database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(contactEnrichments)
    .innerJoin(contacts, eq(contacts.id, contactEnrichments.contactId))
    .where(eq(contacts.workspaceId, workspaceId));
  return row!.count;
};

describe("enrich-imported-contacts", () => {
  it("enriches every contact an import inserted, a page per step, and leaves the contacts it only updated alone", { timeout: 60_000 }, async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Imported" });
    // One contact exists before the import: the file updates it, so the import did not create it.
    await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "user0@acme.io" });
    const rows = ENRICH_IMPORTED_PAGE_SIZE + 2;
    const { row } = await createImportFrom(database, workspace.id, { name: "many.csv", text: generatedCsv(rows, { domain: "acme.io" }) });
    const imported = await runImport(importContacts, workspace.id, row.id);
    expect(imported.error).toBeUndefined();
    const [completed] = sentEvents(imported.ctx);
    expect(completed).toMatchObject({ data: { inserted: rows - 1 } });

    const { result, error } = await new InngestTestEngine({ function: enrichImportedContacts }).execute({ events: [completed as never] });
    expect(error).toBeUndefined();
    // 2,501 inserted contacts: a full page and a short one, which ends the run without an empty third.
    expect(result).toEqual({ workspaceId: workspace.id, importId: row.id, pages: 2, enriched: rows - 1, failed: 0, filled: rows - 1 });
    expect(await enrichedIn(workspace.id)).toBe(rows - 1);
    const [existing] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.email, "user0@acme.io")));
    expect(existing!.attributes).toEqual({ plan: "plan-0" });
    const [other] = await database.db.select().from(contacts).where(and(eq(contacts.workspaceId, workspace.id), eq(contacts.email, "user1@acme.io")));
    expect(other!.attributes).toEqual({ plan: "plan-1", company: "Acme", domain: "acme.io" });
  });

  it("an event naming an import of another workspace enriches nothing", async () => {
    const { workspace: owner } = await createWorkspace(database.db, { name: "Owner" });
    const { workspace: intruder } = await createWorkspace(database.db, { name: "Intruder" });
    const { row } = await createImportFrom(database, owner.id, { name: "few.csv", text: generatedCsv(3, { domain: "owner.io" }) });
    expect((await runImport(importContacts, owner.id, row.id)).error).toBeUndefined();
    const forged = { name: "import/contacts.completed", data: { workspaceId: intruder.id, importId: row.id, inserted: 3 } };
    const { result } = await new InngestTestEngine({ function: enrichImportedContacts }).execute({ events: [forged as never] });
    expect(result).toMatchObject({ pages: 1, enriched: 0 });
    expect(await enrichedIn(owner.id)).toBe(0);
  });
});
