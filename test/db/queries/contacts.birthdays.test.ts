import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listContactIdsWithBirthdayOn, updateContact, upsertContactByEmail } from "@/db/queries/contacts";
import { contacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
const ids: Record<string, string> = {};

async function seed(name: string, birthday: string | null) {
  const result = await upsertContactByEmail(database.db, { workspaceId, changes: { email: `${name}@example.com`, birthday } });
  if (!result.ok) throw new Error("seed conflict");
  ids[name] = result.contact.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Birthdays" })).workspace.id;
  await seed("leap", "2000-02-29");
  await seed("leapless", "--02-29");
  await seed("feb28", "1990-02-28");
  await seed("nov23", "--11-23");
  await seed("none", null);
  // Another workspace's birthdays never show.
  const other = (await createWorkspace(database.db, { name: "Other" })).workspace.id;
  await upsertContactByEmail(database.db, { workspaceId: other, changes: { email: "x@example.com", birthday: "--02-28" } });
});
afterAll(() => database.close());

const on = async (year: number, month: number, day: number) =>
  (await listContactIdsWithBirthdayOn(database.db, { workspaceId, on: { year, month, day }, limit: 100 })).map((id) => Object.keys(ids).find((name) => ids[name] === id)).sort();

describe("birthdays with and without a year", () => {
  it("stores the full date and its month and day, or only month and day", async () => {
    const rows = await database.db
      .select({ email: contacts.email, birthday: contacts.birthday, month: contacts.birthdayMonth, day: contacts.birthdayDay })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .orderBy(contacts.email);
    expect(rows).toEqual([
      { email: "feb28@example.com", birthday: "1990-02-28", month: 2, day: 28 },
      { email: "leap@example.com", birthday: "2000-02-29", month: 2, day: 29 },
      { email: "leapless@example.com", birthday: null, month: 2, day: 29 },
      { email: "none@example.com", birthday: null, month: null, day: null },
      { email: "nov23@example.com", birthday: null, month: 11, day: 23 },
    ]);
  });

  it("finds the birthdays of a day; 29 February ones on 28 February of a year without a 29th", async () => {
    expect(await on(2025, 2, 28)).toEqual(["feb28", "leap", "leapless"]);
    expect(await on(2024, 2, 28)).toEqual(["feb28"]);
    expect(await on(2024, 2, 29)).toEqual(["leap", "leapless"]);
    expect(await on(2025, 11, 23)).toEqual(["nov23"]);
    expect(await on(2025, 11, 24)).toEqual([]);
  });

  it("keeps the three columns in agreement: a change writes all of them, the database refuses a mismatch", async () => {
    const updated = await updateContact(database.db, { workspaceId, contactId: ids.nov23!, changes: { birthday: "1985-11-24" } });
    expect(updated).toMatchObject({ ok: true, contact: { birthday: "1985-11-24", birthdayMonth: 11, birthdayDay: 24 } });
    const cleared = await updateContact(database.db, { workspaceId, contactId: ids.nov23!, changes: { birthday: null } });
    expect(cleared).toMatchObject({ ok: true, contact: { birthday: null, birthdayMonth: null, birthdayDay: null } });
    await expect(database.db.update(contacts).set({ birthday: "1990-01-01", birthdayMonth: 2, birthdayDay: 1 }).where(eq(contacts.id, ids.none!))).rejects.toThrow();
    await expect(database.db.update(contacts).set({ birthdayMonth: 2, birthdayDay: 30 }).where(eq(contacts.id, ids.none!))).rejects.toThrow();
    await expect(database.db.update(contacts).set({ birthdayMonth: 2 }).where(eq(contacts.id, ids.none!))).rejects.toThrow();
  });
});
