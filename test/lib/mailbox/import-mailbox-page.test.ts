import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contacts, contactSources, mailboxMessages } from "@/db/schema";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { suppress } from "@/db/queries/suppressions";
import { createMailboxImport } from "@/lib/mailbox/create-mailbox-import";
import { importMailboxPage } from "@/lib/mailbox/import-mailbox-page";
import { LocalFileStorage } from "@/lib/storage/local-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { fixtures, mbox, OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { createTestDatabase } from "@/test/support/database";

let database: Database;
let root: string;
let storage: LocalFileStorage;

beforeAll(async () => {
  database = await createTestDatabase();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-mailbox-test-"));
  storage = new LocalFileStorage(root);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const everyFixture = () => Buffer.from(mbox(Object.values(fixtures)), "latin1");

/** Runs the pages as import-mailbox does until the connection stops; returns each page's result. */
async function importAll(workspaceId: string, file: Buffer, pageMessages = 4) {
  const connection = await createMailboxImport(database.db, storage, Readable.from([file]), { workspaceId, fileName: "all.mbox", ownerAddresses: [OWNER], storeBodies: false });
  const pages = [];
  for (;;) {
    const page = await importMailboxPage(database.db, storage, { workspaceId, connectionId: connection.id, pageMessages });
    pages.push(page);
    if (page.state !== "active") break;
  }
  return { connectionId: connection.id, pages, connection: (await getMailboxConnection(database.db, { workspaceId, connectionId: connection.id }))! };
}

const contactsOf = (workspaceId: string) =>
  database.db
    .select({ email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName, phone: contacts.phone, attributes: contacts.attributes })
    .from(contacts)
    .where(eq(contacts.workspaceId, workspaceId))
    .orderBy(contacts.email);

describe("importMailboxPage", () => {
  it("stores each message once, skips automated mail and the owner, and extracts people with their signature facts", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Mailbox" });
    const { connection, pages } = await importAll(workspace.id, everyFixture());
    expect(pages.length).toBe(3);
    // Ann is created by the first message of her thread and completed by her signed reply on a later page.
    expect(connection).toMatchObject({ messagesSeen: 11, messagesStored: 10, messagesSkipped: 0, recipientsDropped: 9_901, contactsCreated: 7, contactsUpdated: 1 });
    expect(connection.finishedAt).not.toBeNull();

    const people = await contactsOf(workspace.id);
    const named = people.filter((person) => !person.email!.endsWith("@bomb.example.com"));
    expect(named).toEqual([
      { email: "andre@example.fr", firstName: "André", lastName: "Garçon", phone: null, attributes: {} },
      { email: "ann@acme.example", firstName: "Ann", lastName: "Lee", phone: "+14155550132", attributes: { title: "Head of Sales", company: "Acme Corp" } },
      { email: "bob@stone.example", firstName: "Bob", lastName: "Stone", phone: "+442079460958", attributes: { title: "Chief Technology Officer", company: "Stone Labs Ltd" } },
      { email: "bomber@example.com", firstName: "Bomber", lastName: null, phone: null, attributes: {} },
      { email: "broken@example.com", firstName: "Broken", lastName: "Charset", phone: null, attributes: {} },
      { email: "juergen@example.de", firstName: "Jürgen", lastName: "Müller", phone: null, attributes: {} },
      { email: "malformed@example.com", firstName: "Mal", lastName: "Formed", phone: null, attributes: {} },
    ]);
    // The 10,000-address Cc: 100 addresses looked at, the rest only counted, and none of them made
    // a contact (a broadcast, not a relationship); its sender did.
    expect(people.filter((person) => person.email!.endsWith("@bomb.example.com"))).toEqual([]);

    const [thread] = await database.db.select().from(mailboxMessages).where(eq(mailboxMessages.messageId, "thread-1@acme.example"));
    expect(thread!.labels).toEqual(["Archived", "Important"]);
    const [reply] = await database.db.select().from(mailboxMessages).where(eq(mailboxMessages.messageId, "thread-2@sendline.test"));
    expect(reply).toMatchObject({ direction: "sent", threadId: "thread-1@acme.example", body: null });
    const [news] = await database.db.select().from(mailboxMessages).where(eq(mailboxMessages.messageId, "news-1@letters.example.com"));
    expect(news).toMatchObject({ automated: true, automatedReason: "list-unsubscribe", direction: "received" });

    const sources = await database.db
      .select({ field: contactSources.field, value: contactSources.value, source: contactSources.source })
      .from(contactSources)
      .innerJoin(contacts, eq(contacts.id, contactSources.contactId))
      .where(eq(contacts.email, "ann@acme.example"))
      .orderBy(contactSources.field);
    expect(sources).toEqual([
      { field: "company", value: "Acme Corp", source: "signature" },
      { field: "email", value: "ann@acme.example", source: "header" },
      { field: "firstName", value: "Ann", source: "header" },
      { field: "lastName", value: "Lee", source: "header" },
      { field: "phone", value: "+14155550132", source: "signature" },
      { field: "title", value: "Head of Sales", source: "signature" },
    ]);
  });

  it("fills only empty fields of existing contacts, records where each filled value came from, and never touches erased or hidden addresses", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Merge" });
    const [ann] = await database.db
      .insert(contacts)
      .values({ workspaceId: workspace.id, email: "ann@acme.example", firstName: "Annie", attributes: { company: "User Co" } })
      .returning();
    await database.db.insert(contacts).values({ workspaceId: workspace.id, email: "juergen@example.de", erasureRequestedAt: new Date() });
    await suppress(database.db, { workspaceId: workspace.id, channel: "email", address: "bob@stone.example", reason: "erased" });

    const { connection } = await importAll(workspace.id, everyFixture());
    // Counted per page that filled something: Ann's last name first, her signature's facts later.
    expect(connection.contactsUpdated).toBe(2);
    const people = await contactsOf(workspace.id);
    expect(people.find((person) => person.email === "ann@acme.example")).toEqual({
      email: "ann@acme.example",
      firstName: "Annie",
      lastName: "Lee",
      phone: "+14155550132",
      attributes: { company: "User Co", title: "Head of Sales" },
    });
    expect(people.find((person) => person.email === "juergen@example.de")).toMatchObject({ firstName: null, lastName: null });
    expect(people.some((person) => person.email === "bob@stone.example")).toBe(false);

    const fields = await database.db.select({ field: contactSources.field }).from(contactSources).where(eq(contactSources.contactId, ann!.id)).orderBy(contactSources.field);
    expect(fields.map((row) => row.field)).toEqual(["lastName", "phone", "title"]);
  });

  it("imports nothing twice: the same file again stores no message and creates no contact", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Again" });
    await importAll(workspace.id, everyFixture());
    const before = await contactsOf(workspace.id);
    const { connection } = await importAll(workspace.id, everyFixture(), 50);
    expect(connection).toMatchObject({ messagesSeen: 11, messagesStored: 0, contactsCreated: 0, contactsUpdated: 0 });
    expect(await contactsOf(workspace.id)).toEqual(before);
    expect(await database.db.$count(mailboxMessages, eq(mailboxMessages.workspaceId, workspace.id))).toBe(10);
  });

  it("records an unreadable message as skipped with its reason and goes on", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Skips" });
    const file = Buffer.from(mbox(["Subject: nobody\n\nno addresses at all\n", fixtures.threadStart]), "latin1");
    const { connection } = await importAll(workspace.id, file);
    expect(connection).toMatchObject({ messagesSeen: 2, messagesStored: 1, messagesSkipped: 1, skippedSamples: [{ at: "byte 0", reason: "no sender or recipients" }] });
  });

  it("stops at a paused connection and writes nothing", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Paused" });
    const connection = await createMailboxImport(database.db, storage, Readable.from([everyFixture()]), { workspaceId: workspace.id, fileName: "p.mbox", ownerAddresses: [OWNER], storeBodies: false });
    await database.db.execute(sql`update mailbox_connections set status = 'paused' where id = ${connection.id}`);
    expect((await importMailboxPage(database.db, storage, { workspaceId: workspace.id, connectionId: connection.id })).state).toBe("paused");
    expect((await getMailboxConnection(database.db, { workspaceId: workspace.id, connectionId: connection.id }))!.messagesSeen).toBe(0);
  });
});
