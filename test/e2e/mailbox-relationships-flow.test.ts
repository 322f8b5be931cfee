import { Readable } from "node:stream";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection } from "@/db/queries/mailbox-connections";
import { listRelationships } from "@/db/queries/contact-relationships";
import { contacts } from "@/db/schema";
import { createMailboxImport } from "@/lib/mailbox/create-mailbox-import";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { RELATIONSHIP_OWNER, relationshipMailbox } from "@/test/fixtures/mailbox/relationship-mailbox";
import { sentEvents, setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";
import { useTestDatabase } from "@/test/support/database";

/**
 * A mailbox of 3,000 messages with relationships designed by hand (test/fixtures/mailbox/
 * relationship-mailbox.ts), imported through the real pipeline — the import-mailbox function,
 * a page of 200 messages per step — and analysed by analyse-relationships. The expectation
 * below is written out, not computed: who is extracted with what, who is not, and the ranking.
 */
const env = await setUpImportEnvironment();
const { importMailbox } = await import("@/inngest/functions/mailbox/import-mailbox");
const { analyseRelationships } = await import("@/inngest/functions/mailbox/analyse-relationships");

let database: Database;
let workspaceId: string;
const NOW = new Date();
const fixture = relationshipMailbox({ now: NOW });

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Relationships e2e" }));
});
afterAll(async () => {
  await database.close();
  await env.tearDown();
});

async function importFile(fileName: string, bytes: Buffer) {
  const connection = await createMailboxImport(database.db, createFileStorage(), Readable.from([bytes]), { workspaceId, fileName, ownerAddresses: [RELATIONSHIP_OWNER], storeBodies: false });
  const ids = { workspaceId, connectionId: connection.id };
  const { result, ctx } = await new InngestTestEngine({ function: importMailbox }).execute({ events: [{ name: "mailbox/import.requested", data: ids }] } as never);
  expect(result).toMatchObject({ state: "done" });
  // The import's one line for relationships: a recompute asked once, when the import is done.
  expect(sentEvents(ctx).filter((event) => event.name === "mailbox/relationships.requested")).toEqual([
    { name: "mailbox/relationships.requested", id: `mailbox-relationships-after-${connection.id}`, data: { workspaceId } },
  ]);
  return (await getMailboxConnection(database.db, ids))!;
}

/** The designed people, as a person reading the mail would write them down. */
const DESIGNED = [
  { email: "andre@garcon.example", firstName: "André", lastName: "Garçon", phone: null, attributes: {} },
  { email: "david.okafor@okafor.example", firstName: "David", lastName: "Okafor", phone: "+12125550147", attributes: { title: "Senior Consultant", company: "Okafor & Partners LLP" } },
  { email: "elena.petrova@acme-robotics.example", firstName: "Elena", lastName: "Petrova", phone: "+4930901820", attributes: { title: "Product Lead", company: "Acme Robotics GmbH" } },
  { email: "greg.hall@megacorp.example", firstName: "Greg", lastName: "Hall", phone: null, attributes: { title: "Events Coordinator", company: "Megacorp Inc." } },
  { email: "juergen@mueller.example", firstName: "Jürgen", lastName: "Müller", phone: null, attributes: {} },
  { email: "lena.novak@example.net", firstName: "Lena", lastName: "Novak", phone: null, attributes: {} },
  { email: "marco.bianchi@bianchi.example", firstName: "Marco", lastName: "Bianchi", phone: "+390289012345", attributes: { title: "Managing Director", company: "Bianchi Consulting Srl" } },
  { email: "priya.raman@northwind.example", firstName: "Priya", lastName: "Raman", phone: "+14155550101", attributes: { title: "Head of Engineering", company: "Northwind Traders" } },
  { email: "tom.becker@example.org", firstName: "Tom", lastName: "Becker", phone: null, attributes: {} },
  { email: "zoe.brandt@brandt.example", firstName: "Zoe", lastName: "Brandt", phone: null, attributes: {} },
];

describe("a designed mailbox through import and analysis", () => {
  it("extracts exactly the designed people and the background, no machine, and ranks them as read by hand", { timeout: 60_000 }, async () => {
    const mboxConnection = await importFile("takeout.mbox", fixture.mbox);
    // Every message read, none skipped (the broken charset too), and 1,901 of the bomb's 2,001 addresses never looked at.
    expect(mboxConnection).toMatchObject({ messagesSeen: 3_000, messagesStored: 3_000, messagesSkipped: 0, recipientsDropped: 1_901 });
    await importFile("greetings.eml", fixture.eml);

    const people = await database.db
      .select({ email: contacts.email, firstName: contacts.firstName, lastName: contacts.lastName, phone: contacts.phone, attributes: contacts.attributes })
      .from(contacts)
      .where(eq(contacts.workspaceId, workspaceId))
      .orderBy(contacts.email);
    const background = new Set(fixture.background.map((person) => person.email));
    expect(people.filter((person) => !background.has(person.email!))).toEqual(DESIGNED);
    expect(people.filter((person) => background.has(person.email!))).toEqual(
      fixture.background.map((person) => ({ ...person, phone: null, attributes: {} })).sort((a, b) => a.email.localeCompare(b.email)),
    );
    // Not people: the newsletter, the shop's no-reply, the list's members and the list, the bomb's guests, the owner.
    for (const machine of ["digest@news.example", "noreply@shop.example", "dev@lists.example", RELATIONSHIP_OWNER]) expect(people.map((person) => person.email)).not.toContain(machine);
    expect(people.filter((person) => /@(members|attendees)\.example$/.test(person.email!))).toEqual([]);

    const { result } = await new InngestTestEngine({ function: analyseRelationships }).execute({ events: [{ name: "mailbox/relationships.requested", data: { workspaceId } }] } as never);
    expect(result).toMatchObject({ contacts: 50, scored: 50, done: true });

    const view = async (name: "top" | "cold" | "awaiting", limit = 5) => listRelationships(database.db, { workspaceId, view: name, limit });
    const top = await view("top");
    // By hand (strength ≈ 100 × frequency × quality × recency):
    //   Priya   366 messages, balanced, answers within hours, yesterday         ≈ 1.00 × 0.98 × 0.98 → 96
    //   Marco    49 messages, balanced, 5 h / 20 h answers, 4 days ago          ≈ 0.85 × 0.93 × 0.94 → 74
    //   David    36 messages, 2 : 1, 2 h / 24 h answers, 11 days ago            ≈ 0.78 × 0.83 × 0.84 → 54
    //   Tom      15 messages from Sam, never an answer, 6 days ago              ≈ 0.60 × 0.45 × 0.91 → 25
    //   Elena   104 messages, balanced, silent for 120 days                     ≈ 1.00 × 0.97 × 0.16 → 15
    // then Lena (≈ 7.5), Greg (≈ 3.4) and the rest, all older or thinner.
    expect(top.map((row) => row.email)).toEqual([
      "priya.raman@northwind.example",
      "marco.bianchi@bianchi.example",
      "david.okafor@okafor.example",
      "tom.becker@example.org",
      "elena.petrova@acme-robotics.example",
    ]);
    // Within 1.5 of the hand figures: recency moves them by up to 1.5 % with the time of day the spec runs.
    const byHand = [96, 74, 54, 25, 15];
    top.forEach((row, index) => expect(Math.abs(row.strength - byHand[index]!), row.email!).toBeLessThanOrEqual(1.5));
    expect(top.map((row) => [row.messagesSent, row.messagesReceived])).toEqual([
      [183, 183],
      [24, 25],
      [24, 12],
      [15, 0],
      [52, 52],
    ]);

    const cold = await view("cold", 50);
    expect(cold.map((row) => row.email)).toEqual(["elena.petrova@acme-robotics.example"]);
    expect(cold[0]).toMatchObject({ goingCold: true, sentLast90Days: 0, receivedLast90Days: 0 });

    const awaiting = await view("awaiting", 50);
    expect(awaiting.map((row) => [row.email, row.awaitingThreads, row.awaitingSubject])).toEqual([["marco.bianchi@bianchi.example", 1, "Q3 renewal: revised quote"]]);
  });
});
