import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { addListMembers, insertList } from "@/db/queries/lists";
import { insertMessage } from "@/db/queries/messages";
import { countContactsMatching, selectSegmentContactIds } from "@/db/queries/segments";
import { contacts } from "@/db/schema";
import type { ContactChanges } from "@/core/contacts/contact-input";
import { compileSegmentFilter } from "@/db/queries/compile-segment-filter";
import { segmentFilter } from "@/core/segments/segment-filter";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let workspaceId: string;
let listId: string;
let otherListId: string;
const ids: Record<string, string> = {};
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

async function seed(wsId: string, name: string, changes: Omit<ContactChanges, "email">, row: Partial<typeof contacts.$inferInsert> = {}) {
  const result = await upsertContactByEmail(database.db, { workspaceId: wsId, changes: { email: `${name}@${name < "c" ? "acme.com" : "other.org"}`, ...changes } });
  if (!result.ok) throw new Error("seed conflict");
  if (Object.keys(row).length) await database.db.update(contacts).set(row).where(sql`${contacts.id} = ${result.contact.id}`);
  return result.contact.id;
}

async function engage(wsId: string, contactId: string, key: string, fields: Record<string, Date>, channel: "email" | "sms" = "email") {
  await insertMessage(database.db, { workspaceId: wsId, idempotencyKey: key, channel, recipient: "x", contactId, status: "delivered", ...fields });
}

beforeAll(async () => {
  database = await createTestDatabase();
  workspaceId = (await createWorkspace(database.db, { name: "Acme" })).workspace.id;
  const other = (await createWorkspace(database.db, { name: "Other" })).workspace.id;
  ids.ada = await seed(workspaceId, "ada", {
    firstName: "Ada",
    phone: "+14155550123",
    birthday: "1990-05-01",
    attributes: { set: { plan: "pro", seats: 10, trial_ends: "2025-03-01", vip: true }, remove: [] },
  });
  ids.bob = await seed(workspaceId, "bob", { firstName: "Bob", birthday: "2001-01-01", attributes: { set: { plan: "free", seats: 2, note: "50% off" }, remove: [] } }, { createdAt: daysAgo(60) });
  ids.cy = await seed(workspaceId, "cy", { attributes: { set: { plan: "Pro", seats: "10" }, remove: [] } }, { status: "unsubscribed", unsubscribedAt: daysAgo(3) });
  ids.dee = await seed(workspaceId, "dee", { birthday: "--05-01" }, { createdAt: daysAgo(400) });
  // The same people in another workspace, engaged and listed: none of it may leak into Acme's results.
  const theirAda = await seed(other, "ada", { firstName: "Ada", attributes: { set: { plan: "pro" }, remove: [] } });
  listId = (await insertList(database.db, { workspaceId, name: "VIP", description: null }))!.id;
  otherListId = (await insertList(database.db, { workspaceId: other, name: "VIP", description: null }))!.id;
  await addListMembers(database.db, { workspaceId, listId, contactIds: [ids.ada!, ids.cy!] });
  await addListMembers(database.db, { workspaceId: other, listId: otherListId, contactIds: [theirAda] });
  await engage(workspaceId, ids.ada!, "m1", { openedAt: daysAgo(5) });
  await engage(workspaceId, ids.bob!, "m2", { clickedAt: daysAgo(10) });
  await engage(workspaceId, ids.cy!, "m3", { openedAt: daysAgo(40), deliveredAt: daysAgo(40) });
  await engage(workspaceId, ids.dee!, "m4", { bouncedAt: daysAgo(1) }, "sms");
  await engage(other, theirAda, "m5", { openedAt: daysAgo(1), clickedAt: daysAgo(1) });
});
afterAll(() => database.close());

async function matching(filter: unknown): Promise<string[]> {
  const rows = await database.db
    .select({ email: contacts.email })
    .from(contacts)
    .where(compileSegmentFilter(segmentFilter.parse(filter), workspaceId));
  return rows.map((row) => row.email!.split("@")[0]!).sort();
}

describe("compileSegmentFilter against real rows", () => {
  it.each([
    ["ends_with, ignoring case", { field: "email", op: "ends_with", value: "@ACME.com" }, ["ada", "bob"]],
    ["eq, ignoring case", { field: "firstName", op: "eq", value: "ada" }, ["ada"]],
    ["neq keeps nulls", { field: "firstName", op: "neq", value: "Ada" }, ["bob", "cy", "dee"]],
    ["in", { field: "email", op: "in", value: ["BOB@acme.com", "dee@other.org", "nobody@x.io"] }, ["bob", "dee"]],
    ["contains", { field: "email", op: "contains", value: "other" }, ["cy", "dee"]],
    ["starts_with", { field: "firstName", op: "starts_with", value: "B" }, ["bob"]],
    ["exists", { field: "phone", op: "exists" }, ["ada"]],
    ["exists false", { field: "phone", op: "exists", value: false }, ["bob", "cy", "dee"]],
    ["status eq", { field: "status", op: "eq", value: "unsubscribed" }, ["cy"]],
    ["status neq", { field: "status", op: "neq", value: "unsubscribed" }, ["ada", "bob", "dee"]],
    ["status in", { field: "status", op: "in", value: ["subscribed"] }, ["ada", "bob", "dee"]],
    ["date gt", { field: "birthday", op: "gt", value: "1995-01-01" }, ["bob"]],
    ["date lte", { field: "birthday", op: "lte", value: "1990-05-01" }, ["ada"]],
    ["date eq", { field: "birthday", op: "eq", value: "2001-01-01" }, ["bob"]],
    // Dee's birthday has no year: it takes part in month/day matches, never in comparisons of dates.
    ["birthday on a month and day, with or without a year", { field: "birthday", op: "on", value: "--05-01" }, ["ada", "dee"]],
    ["birthday in a month", { field: "birthday", op: "on", value: "--01" }, ["bob"]],
    ["birthday exists, with or without a year", { field: "birthday", op: "exists" }, ["ada", "bob", "dee"]],
    ["birthday does not exist", { field: "birthday", op: "exists", value: false }, ["cy"]],
    ["a year-less birthday is in no date range", { field: "birthday", op: "lte", value: "2100-01-01" }, ["ada", "bob"]],
    ["timestamp lt", { field: "createdAt", op: "lt", value: new Date(Date.now() - 30 * DAY_MS).toISOString() }, ["bob", "dee"]],
    ["timestamp gte a date", { field: "unsubscribedAt", op: "gte", value: "2000-01-01" }, ["cy"]],
    ["after (within the window)", { field: "createdAt", op: "after", value: "30d" }, ["ada", "cy"]],
    ["before (older than the window)", { field: "createdAt", op: "before", value: "52w" }, ["dee"]],
    ["attribute eq is typed and exact", { attribute: "plan", op: "eq", value: "pro" }, ["ada"]],
    ["attribute eq number is not the string", { attribute: "seats", op: "eq", value: 10 }, ["ada"]],
    ["attribute eq string is not the number", { attribute: "seats", op: "eq", value: "10" }, ["cy"]],
    ["attribute gt compares numbers only", { attribute: "seats", op: "gt", value: 5 }, ["ada"]],
    ["attribute lte", { attribute: "seats", op: "lte", value: 2 }, ["bob"]],
    ["attribute ISO date string", { attribute: "trial_ends", op: "lt", value: "2025-06-01" }, ["ada"]],
    ["attribute boolean", { attribute: "vip", op: "eq", value: true }, ["ada"]],
    ["attribute neq keeps missing", { attribute: "plan", op: "neq", value: "pro" }, ["bob", "cy", "dee"]],
    ["attribute in", { attribute: "plan", op: "in", value: ["pro", "free"] }, ["ada", "bob"]],
    ["attribute contains % literally", { attribute: "note", op: "contains", value: "%" }, ["bob"]],
    ["attribute contains _ literally", { attribute: "note", op: "contains", value: "_" }, []],
    ["attribute starts_with ignores case", { attribute: "plan", op: "starts_with", value: "PR" }, ["ada", "cy"]],
    ["attribute ends_with skips non-strings", { attribute: "seats", op: "ends_with", value: "0" }, ["cy"]],
    ["attribute exists", { attribute: "plan", op: "exists" }, ["ada", "bob", "cy"]],
    ["attribute exists false", { attribute: "plan", op: "exists", value: false }, ["dee"]],
    ["inList", { inList: "LIST" }, ["ada", "cy"]],
    ["not inList", { not: { inList: "LIST" } }, ["bob", "dee"]],
    ["another workspace's list matches nobody", { inList: "OTHER_LIST" }, []],
    ["opened within 7d", { engagement: "opened", within: "7d" }, ["ada"]],
    ["opened counts clicks", { engagement: "opened", within: "30d" }, ["ada", "bob"]],
    ["opened within 60d", { engagement: "opened", within: "60d" }, ["ada", "bob", "cy"]],
    ["clicked", { engagement: "clicked", within: "30d" }, ["bob"]],
    ["delivered", { engagement: "delivered", within: "8w" }, ["cy"]],
    ["bounced", { engagement: "bounced", within: "48h" }, ["dee"]],
    ["channel narrows", { engagement: "bounced", within: "48h", channel: "email" }, []],
    ["not opened", { not: { engagement: "opened", within: "30d" } }, ["cy", "dee"]],
    ["all [] is everyone", { all: [] }, ["ada", "bob", "cy", "dee"]],
    ["any [] is nobody", { any: [] }, []],
    [
      "nested groups",
      { all: [{ any: [{ field: "email", op: "ends_with", value: "@acme.com" }, { inList: "LIST" }] }, { not: { field: "status", op: "eq", value: "unsubscribed" } }] },
      ["ada", "bob"],
    ],
  ])("%s", async (_case, filter, expected) => {
    const resolved = JSON.parse(JSON.stringify(filter).replace('"LIST"', JSON.stringify(listId)).replace('"OTHER_LIST"', JSON.stringify(otherListId)));
    expect(await matching(resolved)).toEqual(expected);
  });
});

describe("SQL injection", () => {
  const dialect = new PgDialect();

  it.each([
    ["x' OR '1'='1"],
    ["'); DROP TABLE contacts; --"],
    ["\\'; select pg_sleep(10); --"],
    ["%_\\%"],
  ])("keeps %j a parameter and matches nothing", async (value) => {
    const filter = segmentFilter.parse({ any: [{ field: "email", op: "eq", value }, { attribute: "plan", op: "contains", value }] });
    const query = dialect.sqlToQuery(compileSegmentFilter(filter, workspaceId));
    expect(query.sql).not.toContain(value);
    expect(query.params).toContain(value);
    expect(await matching(filter)).toEqual([]);
    expect(await countContactsMatching(database.db, { workspaceId, filter: { all: [] } })).toBe(4);
  });

  it("binds attribute names and list ids as parameters too", () => {
    const filter = segmentFilter.parse({ all: [{ attribute: "plan", op: "exists" }, { inList: listId }] });
    const query = dialect.sqlToQuery(compileSegmentFilter(filter, workspaceId));
    expect(query.sql).not.toMatch(/plan|'[0-9a-f-]{36}'/);
    expect(query.params).toEqual(expect.arrayContaining(["plan", listId, workspaceId]));
  });

  it.each([["plan'--"], ["plan\"); drop table contacts; --"], ["a->>'b'"], ["{plan}"]])("refuses attribute key %j before any SQL", (attribute) => {
    expect(segmentFilter.safeParse({ attribute, op: "eq", value: "x" }).success).toBe(false);
  });
});

describe("segment queries", () => {
  it("counts within the workspace only", async () => {
    expect(await countContactsMatching(database.db, { workspaceId, filter: { field: "firstName", op: "eq", value: "Ada" } })).toBe(1);
  });

  it("pages matching ids in id order after a cursor", async () => {
    const filter = segmentFilter.parse({ all: [] });
    const pages: string[][] = [];
    let afterId: string | null = null;
    for (;;) {
      const page: string[] = await selectSegmentContactIds(database.db, { workspaceId, filter, afterId, limit: 3 });
      if (page.length === 0) break;
      pages.push(page);
      afterId = page.at(-1)!;
    }
    expect(pages.map((page) => page.length)).toEqual([3, 1]);
    expect(pages.flat()).toEqual(Object.values(ids).sort());
  });
});
