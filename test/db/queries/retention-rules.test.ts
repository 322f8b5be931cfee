import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { SCRUBBED_RECIPIENT } from "@/db/queries/personal-data";
import { applyRetentionBatch, countLiveContacts, countRetentionCandidates, type RetentionCursor } from "@/db/queries/retention-rules";
import { rowsOf } from "@/db/queries/rows-of";
import { campaignChunks, contactEnrichments, contacts, digestItems, importContacts, importErrors, messages, outboxMessages, webhookEvents } from "@/db/schema";
import { RETENTION_TARGET_NAMES, type RetentionTarget } from "@/core/lifecycle/retention-rules";
import { createTestDatabase } from "@/test/support/database";
import { type RetentionWorld, seedRetentionWorld } from "@/test/lib/lifecycle/retention-world";

const NOW = new Date("2026-06-15T12:00:00.000Z");
const CUTOFF = new Date(NOW.getTime() - 30 * 86_400_000);

let database: Database;
let mine: RetentionWorld;
let other: RetentionWorld;

beforeAll(async () => {
  database = await createTestDatabase();
  mine = await seedRetentionWorld(database.db, { name: "Mine", now: NOW });
  other = await seedRetentionWorld(database.db, { name: "Other", now: NOW });
});
afterAll(() => database.close());

/** Every table retention may touch, as rows, to compare before and after. */
async function snapshot() {
  const { db } = database;
  const table = async (name: string) => rowsOf(await db.execute(sql.raw(`select * from ${name} order by 1, 2`)));
  return Object.fromEntries(
    await Promise.all(
      ["contacts", "messages", "outbox_messages", "webhook_events", "import_errors", "import_contacts", "campaign_chunks", "digest_items", "contact_enrichments"].map(async (name) => [name, await table(name)] as const),
    ),
  );
}

/** Applies a target to the end in small batches, as the function does. */
async function applyAll(workspaceId: string, target: RetentionTarget, limit = 1) {
  let cursor: RetentionCursor | null = null;
  let touched = 0;
  for (let batches = 0; batches < 50; batches++) {
    const batch = await applyRetentionBatch(database.db, { workspaceId, target, cutoff: CUTOFF, at: NOW, cursor, limit });
    touched += batch.touched;
    cursor = batch.cursor;
    if (batch.done) return { touched, batches: batches + 1 };
  }
  throw new Error("did not finish");
}

describe("retention rules", () => {
  it("count what each target would touch, with a sample of ids, and change nothing (the dry run)", async () => {
    const before = await snapshot();
    const found: Record<string, { count: number; sample: string[] }> = Object.fromEntries(
      await Promise.all(RETENTION_TARGET_NAMES.map(async (target) => [target, await countRetentionCandidates(database.db, { workspaceId: mine.workspaceId, cutoff: CUTOFF, target, sampleSize: 5 })] as const)),
    );
    expect(found.anonymisedContacts).toEqual({ count: 1, sample: [mine.contacts.quiet.id] });
    expect(found.messageBodies!.count).toBe(2);
    expect(new Set(found.messageBodies!.sample)).toEqual(new Set([mine.messages.quietMessage.id, mine.messages.oldMessage.id]));
    expect(found.outboxBodies!.count).toBe(2);
    expect(found.webhookPayloads).toEqual({ count: 1, sample: [`resend:${mine.webhooks.oldWebhook}`] });
    expect(found.importErrors!.count).toBe(1);
    expect(found.importStaging).toEqual({ count: 1, sample: [`${mine.imports.oldImport.id}:${mine.contacts.edited.id}`] });
    expect(new Set(found.campaignChunks!.sample)).toEqual(new Set([`${mine.campaigns.oldCampaign.id}:0`, `${mine.campaigns.oldCampaign.id}:1`]));
    expect(found.digestItems).toEqual({ count: 1, sample: [mine.digests.oldDigest.item.id] });
    // Of the five contacts, the one being erased is not counted: four live, one to anonymise.
    expect(await countLiveContacts(database.db, { workspaceId: mine.workspaceId })).toBe(4);
    expect(await snapshot()).toEqual(before);
  });

  it("anonymise exactly the inactive contact: personal fields emptied, the row and its id kept, its messages scrubbed", async () => {
    const { db } = database;
    expect(await applyAll(mine.workspaceId, "anonymisedContacts")).toMatchObject({ touched: 1 });
    const rows = await db.select().from(contacts).where(eq(contacts.workspaceId, mine.workspaceId));
    const quiet = rows.find((row) => row.id === mine.contacts.quiet.id)!;
    expect(quiet).toMatchObject({ email: null, phone: null, firstName: null, lastName: null, birthday: null, birthdayMonth: null, birthdayDay: null, attributes: {}, status: "subscribed" });
    expect(quiet.anonymisedAt).toEqual(NOW);
    // Active by message, by engagement, by edit, and the one an erasure owns: untouched.
    for (const kept of rows.filter((row) => row.id !== quiet.id)) expect(kept.anonymisedAt).toBeNull();
    expect(rows.find((row) => row.id === mine.contacts.engaged.id)!.email).toMatch(/^engaged-/);
    expect(await db.select().from(contactEnrichments).where(eq(contactEnrichments.contactId, quiet.id))).toEqual([]);

    const [message] = await db.select().from(messages).where(eq(messages.id, mine.messages.quietMessage.id));
    expect(message).toMatchObject({ recipient: SCRUBBED_RECIPIENT, request: { data: {} }, subject: null, status: "delivered" });
    // The outbox's rendered copy goes, as an erasure takes it.
    expect(await db.select().from(outboxMessages).where(eq(outboxMessages.id, mine.outbox.quietOutbox.id))).toEqual([]);
    // Other contacts' messages keep their recipients.
    const [recent] = await db.select().from(messages).where(eq(messages.id, mine.messages.recentMessage.id));
    expect(recent!.recipient).not.toBe(SCRUBBED_RECIPIENT);
    // A second pass finds nothing more.
    expect(await applyAll(mine.workspaceId, "anonymisedContacts")).toMatchObject({ touched: 0 });
  });

  it("drop message and outbox bodies older than the cutoff, keeping queued messages, dead letters and newer ones", async () => {
    const { db } = database;
    expect((await applyAll(mine.workspaceId, "messageBodies")).touched).toBe(1); // the quiet contact's was scrubbed above
    const byId = new Map((await db.select().from(messages).where(eq(messages.workspaceId, mine.workspaceId))).map((row) => [row.id, row]));
    expect(byId.get(mine.messages.oldMessage.id)!.request).toEqual({ data: {} });
    for (const kept of [mine.messages.recentMessage, mine.messages.oldQueued, mine.messages.oldDeadLetter]) expect(byId.get(kept.id)!.request).toMatchObject({ body: "Dear Ann" });
    expect(byId.get(mine.messages.oldMessage.id)!.recipient).not.toBe(SCRUBBED_RECIPIENT);

    expect((await applyAll(mine.workspaceId, "outboxBodies")).touched).toBe(1);
    const outbox = new Map((await db.select().from(outboxMessages).where(eq(outboxMessages.workspaceId, mine.workspaceId))).map((row) => [row.id, row]));
    expect(outbox.get(mine.outbox.oldOutbox.id)).toMatchObject({ html: null, text: null, subject: "Your order" });
    expect(outbox.get(mine.outbox.recentOutbox.id)).toMatchObject({ html: "<p>Dear Ann</p>", text: "Dear Ann" });
  });

  it("clear webhook payloads about the workspace's messages older than the cutoff, and nobody else's", async () => {
    const { db } = database;
    expect((await applyAll(mine.workspaceId, "webhookPayloads")).touched).toBe(1);
    const payloadOf = async (deliveryId: string) => (await db.select().from(webhookEvents).where(eq(webhookEvents.deliveryId, deliveryId)))[0]!.payload;
    expect(await payloadOf(mine.webhooks.oldWebhook)).toEqual({});
    expect(await payloadOf(mine.webhooks.recentWebhook)).toMatchObject({ type: "email.delivered" });
    expect(await payloadOf(other.webhooks.oldWebhook)).toMatchObject({ type: "email.delivered" });
  });

  it("delete finished runs' working data older than the cutoff, keeping newer and unfinished runs'", async () => {
    const { db } = database;
    expect((await applyAll(mine.workspaceId, "importErrors")).touched).toBe(1);
    expect((await applyAll(mine.workspaceId, "importStaging")).touched).toBe(1);
    expect((await applyAll(mine.workspaceId, "campaignChunks")).touched).toBe(2);
    expect((await applyAll(mine.workspaceId, "digestItems")).touched).toBe(1);
    const importIds = Object.values(mine.imports).map((row) => row.id);
    expect((await db.select().from(importErrors).where(inArray(importErrors.importId, importIds))).map((row) => row.importId).sort()).toEqual([mine.imports.recentImport.id, mine.imports.runningImport.id].sort());
    expect((await db.select().from(importContacts).where(inArray(importContacts.importId, importIds))).map((row) => row.importId).sort()).toEqual([mine.imports.recentImport.id, mine.imports.runningImport.id].sort());
    const chunks = await db.select().from(campaignChunks).where(inArray(campaignChunks.campaignId, Object.values(mine.campaigns).map((row) => row.id)));
    expect(new Set(chunks.map((row) => row.campaignId))).toEqual(new Set([mine.campaigns.recentCampaign.id, mine.campaigns.sendingCampaign.id]));
    const items = await db.select().from(digestItems).where(eq(digestItems.workspaceId, mine.workspaceId));
    expect(items.map((row) => row.id)).toEqual([mine.digests.pendingDigest.item.id]);
  });

  it("left the other workspace exactly as it was", async () => {
    for (const target of RETENTION_TARGET_NAMES) {
      const found = await countRetentionCandidates(database.db, { workspaceId: other.workspaceId, cutoff: CUTOFF, target, sampleSize: 1 });
      expect(found.count, target).toBeGreaterThan(0);
    }
    const [row] = await database.db.select().from(contacts).where(eq(contacts.id, other.contacts.quiet.id));
    expect(row!.email).toMatch(/^quiet-/);
  });
});
