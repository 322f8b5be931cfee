import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { contactRelationships, contacts, mailboxConnections } from "@/db/schema";
import { scoreRelationship } from "@/core/mailbox/relationship-strength";
import { scoreRelationshipBatch } from "@/lib/mailbox/score-relationship-batch";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";
import { insertMail, type Mail } from "@/test/support/mailbox-mail";

/**
 * The figures behind a relationship, read in one statement per batch of contacts: what counts as
 * sent and received, reply times both ways, open threads awaiting the owner, who is left out
 * (automated mail, undated and future mail, the owner's own address, hidden contacts, other
 * workspaces), keyset batches that add up to one pass, and rows removed when the mail is gone.
 */
let database: Database;
const NOW = new Date("2025-03-31T12:00:00Z");
const OWNER = "me@own.example";
const ANN = "ann@a.example";
const BOB = "bob@b.example";
const CAT = "cat@c.example";

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function seed(workspaceId: string, mail: Mail[]) {
  for (const email of [ANN, BOB, CAT, "dan@d.example", OWNER]) await database.db.insert(contacts).values({ workspaceId, email });
  await database.db.insert(contacts).values({ workspaceId, email: "eve@e.example", erasureRequestedAt: new Date() });
  await database.db.insert(mailboxConnections).values({ workspaceId, kind: "import", label: "test", ownerAddresses: [OWNER] });
  await insertMail(database.db, { workspaceId, owner: OWNER, defaultTo: ANN, mail });
}

const MAIL: Mail[] = [
  // A conversation: the owner answers Ann in 2 h and 1 h, she answers in 22 h.
  { thread: "plan", from: ANN, at: "2025-03-01T09:00:00Z", subject: "Plan" },
  { thread: "plan", from: OWNER, at: "2025-03-01T11:00:00Z" },
  { thread: "plan", from: ANN, at: "2025-03-02T09:00:00Z" },
  { thread: "plan", from: OWNER, at: "2025-03-02T10:00:00Z" },
  // Her newest thread has no answer (an automated message after it does not count as one).
  { thread: "contract", from: ANN, at: "2025-03-28T08:00:00Z", subject: "Contract" },
  { thread: "contract", from: "notifications@tool.example", to: [OWNER, ANN], at: "2025-03-29T08:00:00Z", automated: true },
  // Answered a day later: not awaiting.
  { thread: "question", from: ANN, at: "2025-03-20T09:00:00Z", subject: "Question" },
  { thread: "question", from: OWNER, at: "2025-03-21T09:00:00Z" },
  // Unanswered but older than 30 days: not awaiting any more.
  { thread: "ancient", from: ANN, at: "2025-02-01T09:00:00Z", subject: "Ancient" },
  // Bob writes, copying Ann: it counts for both, and awaits an answer from the owner to Bob only.
  { thread: "hello", from: BOB, to: [OWNER, ANN], at: "2025-03-10T09:00:00Z", subject: "Hello all" },
  // Left out: undated, dated after now, automated.
  { thread: "undated", from: ANN, at: null },
  { thread: "future", from: ANN, at: "2025-04-05T09:00:00Z" },
  { thread: "digest", from: ANN, at: "2025-03-15T09:00:00Z", automated: true },
  // Cat is only written to, last in August.
  { thread: "c1", from: OWNER, to: [CAT], at: "2024-06-01T09:00:00Z" },
  { thread: "c2", from: OWNER, to: [CAT], at: "2024-07-01T09:00:00Z" },
  { thread: "c3", from: OWNER, to: [CAT], at: "2024-08-01T09:00:00Z" },
  // A hidden contact's mail makes no row.
  { thread: "eve", from: "eve@e.example", at: "2025-03-25T09:00:00Z" },
];

const rowsOf = async (workspaceId: string) => {
  const rows = await database.db.select().from(contactRelationships).innerJoin(contacts, eq(contacts.id, contactRelationships.contactId)).where(eq(contactRelationships.workspaceId, workspaceId));
  return new Map(rows.map((row) => [row.contacts.email!, row.contact_relationships]));
};

async function scoreAll(workspaceId: string, limit?: number, now = NOW) {
  const batches = [];
  let after: string | null = null;
  for (;;) {
    const batch = await scoreRelationshipBatch(database.db, { workspaceId, after, now, limit });
    batches.push(batch);
    if (batch.done) return batches;
    after = batch.last;
  }
}

describe("scoreRelationshipBatch", () => {
  it("reads each relationship's figures from the mailbox as of now and stores them with the strength", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Figures" });
    await seed(workspace.id, MAIL);
    const [batch] = await scoreAll(workspace.id);
    expect(batch).toMatchObject({ contacts: 5, scored: 3, removed: 0, cold: 0, awaiting: 2, done: true });
    const rows = await rowsOf(workspace.id);
    expect([...rows.keys()].sort()).toEqual([ANN, BOB, CAT]);

    const ann = rows.get(ANN)!;
    expect(ann).toMatchObject({
      messagesSent: 3,
      messagesReceived: 6,
      sentLast90Days: 3,
      receivedLast90Days: 6,
      firstInteractionAt: new Date("2025-02-01T09:00:00Z"),
      lastInteractionAt: new Date("2025-03-28T08:00:00Z"),
      // 1, 2, 10, 20, 21 and 28 March, 1 February.
      interactionDays: 7,
      // 1 h, 2 h and 24 h: the median is 2 h.
      ownerReplySeconds: 7_200,
      contactReplySeconds: 79_200,
      awaitingThreads: 1,
      awaitingSubject: "Contract",
      awaitingSince: new Date("2025-03-28T08:00:00Z"),
      computedAt: NOW,
      summary: null,
    });
    const expected = scoreRelationship(
      { sent: 3, received: 6, firstInteractionAt: ann.firstInteractionAt, lastInteractionAt: ann.lastInteractionAt, interactionDays: 7, ownerReplySeconds: 7_200, contactReplySeconds: 79_200 },
      NOW,
    );
    expect(ann).toMatchObject({ strength: expected.strength, peakStrength: expected.peakStrength, reciprocity: expected.reciprocity, usualGapDays: expected.usualGapDays, goingCold: false });

    expect(rows.get(BOB)).toMatchObject({ messagesSent: 0, messagesReceived: 1, ownerReplySeconds: null, contactReplySeconds: null, awaitingThreads: 1, awaitingSubject: "Hello all", reciprocity: 0 });
    expect(rows.get(CAT)).toMatchObject({ messagesSent: 3, messagesReceived: 0, sentLast90Days: 0, interactionDays: 3, usualGapDays: 30.5, awaitingThreads: 0, awaitingSubject: null });
  });

  it("adds up to the same rows whatever the batch size, and keeps other workspaces apart", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Batches" });
    const { workspace: other } = await createWorkspace(database.db, { name: "Other" });
    await seed(workspace.id, MAIL);
    await seed(other.id, MAIL.slice(0, 4));
    const batches = await scoreAll(workspace.id, 2);
    // Five visible contacts with an email: 2 + 2 + 1.
    expect(batches.map((batch) => batch.contacts)).toEqual([2, 2, 1]);
    const strip = (rows: Map<string, typeof contactRelationships.$inferSelect>) => [...rows.entries()].map(([email, { contactId: _, workspaceId: __, ...row }]) => [email, row]).sort();
    const batched = strip(await rowsOf(workspace.id));
    await scoreAll(workspace.id);
    expect(strip(await rowsOf(workspace.id))).toEqual(batched);
    expect((await rowsOf(other.id)).size).toBe(0);
    await scoreAll(other.id);
    expect((await rowsOf(other.id)).get(ANN)).toMatchObject({ messagesSent: 2, messagesReceived: 2, awaitingThreads: 0 });
  });

  it("removes the row of a contact the mailbox no longer names, and marks a strong relationship gone silent as cold", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Stale" });
    await seed(workspace.id, MAIL);
    await scoreAll(workspace.id, 2);
    await database.db.execute(sql`update mailbox_messages set participants = array_remove(participants, ${CAT}) where workspace_id = ${workspace.id}`);
    const batches = await scoreAll(workspace.id, 2);
    expect(batches.reduce((sum, batch) => sum + batch.removed, 0)).toBe(1);
    expect([...(await rowsOf(workspace.id)).keys()].sort()).toEqual([ANN, BOB]);

    // Bob had a lively January (30 exchanges answered within the hour), then nothing: by the end
    // of July he is going cold. Ann's few messages were never a strong relationship: not cold, just quiet.
    await insertMail(database.db, {
      workspaceId: workspace.id,
      owner: OWNER,
      defaultTo: BOB,
      mail: Array.from({ length: 30 }, (_, n): Mail[] => [
        { thread: `january-${n}`, from: BOB, at: `2025-01-${String(n + 1).padStart(2, "0")}T09:00:00Z` },
        { thread: `january-${n}`, from: OWNER, at: `2025-01-${String(n + 1).padStart(2, "0")}T09:40:00Z` },
      ]).flat(),
    });
    await scoreAll(workspace.id, undefined, new Date("2025-07-31T12:00:00Z"));
    const rows = await rowsOf(workspace.id);
    const bob = rows.get(BOB)!;
    expect(bob).toMatchObject({ goingCold: true, awaitingThreads: 0, sentLast90Days: 0, receivedLast90Days: 0 });
    expect(bob.peakStrength).toBeGreaterThanOrEqual(50);
    expect(bob.strength).toBeLessThan(bob.peakStrength / 4);
    expect(rows.get(ANN)).toMatchObject({ goingCold: false });
    expect(rows.get(ANN)!.peakStrength).toBeLessThan(50);
  });
});
