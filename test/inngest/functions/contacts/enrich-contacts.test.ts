import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { listContactEnrichments } from "@/db/queries/contact-enrichments";
import { contactEnrichments, contacts } from "@/db/schema";
import { ENRICH_BATCH_SIZE, enrichContacts } from "@/inngest/functions/contacts/enrich-contacts";
import type { EnrichmentProvider } from "@/lib/providers/enrichment/enrichment-provider";
import { ProviderError } from "@/lib/providers/errors";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

// The function builds its provider through the factory; tests swap in a failing one here and
// otherwise get the real factory's choice (the local domain provider).
const stub = vi.hoisted(() => ({ provider: undefined as EnrichmentProvider | undefined }));
vi.mock("@/lib/providers/enrichment/create-enrichment-provider", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/providers/enrichment/create-enrichment-provider")>();
  return { createEnrichmentProvider: () => stub.provider ?? actual.createEnrichmentProvider({}) };
});

const failing = (error: ProviderError): EnrichmentProvider => ({ name: "failing", maxBatchSize: 100, enrich: () => Promise.reject(error) });

let database: Database;
let workspaceA: string;
let workspaceB: string;

beforeAll(async () => {
  database = await useTestDatabase();
  workspaceA = (await createWorkspace(database.db, { name: "A" })).workspace.id;
  workspaceB = (await createWorkspace(database.db, { name: "B" })).workspace.id;
});
afterAll(() => database.close());
beforeEach(() => {
  stub.provider = undefined;
});

async function contact(workspaceId: string, values: Partial<typeof contacts.$inferInsert>) {
  const [row] = await database.db
    .insert(contacts)
    .values({ workspaceId, ...values })
    .returning();
  return row!;
}
const attributesOf = async (id: string) => (await database.db.select().from(contacts).where(eq(contacts.id, id)))[0]!.attributes;
const created = (workspaceId: string, contactId: string) => ({ name: "contact/created", data: { workspaceId, contactId } });
const run = (events: ReturnType<typeof created>[]) => new InngestTestEngine({ function: enrichContacts }).execute({ events: events as never });

describe("enrich-contacts", () => {
  it("is configured as a throttled batch consumer keyed by workspace", () => {
    expect(enrichContacts.opts).toMatchObject({
      id: "enrich-contacts",
      batchEvents: { maxSize: ENRICH_BATCH_SIZE, timeout: "5s", key: "event.data.workspaceId" },
      throttle: { limit: 10, period: "1s" },
    });
  });

  it("enriches its workspace's contacts and touches nothing of another workspace", async () => {
    const business = await contact(workspaceA, { email: "ann@acme-corp.co.uk" });
    const freeMail = await contact(workspaceA, { email: "bo@gmail.com" });
    const userSet = await contact(workspaceA, { email: "cy@widgets.io", attributes: { company: "Widgets International", plan: "pro" } });
    const blank = await contact(workspaceA, { email: "di@blank.dev", attributes: { company: " ", domain: null } });
    const phoneOnly = await contact(workspaceA, { phone: "+14155550100" });
    const noDomain = await contact(workspaceA, { email: "ed@localhost" });
    const foreign = await contact(workspaceB, { email: "fi@other.org" });

    const { result, error } = await run([
      created(workspaceA, business.id),
      created(workspaceA, freeMail.id),
      created(workspaceA, userSet.id),
      created(workspaceA, blank.id),
      created(workspaceA, phoneOnly.id),
      created(workspaceA, noDomain.id),
      created(workspaceA, business.id), // a duplicate event
      created(workspaceA, foreign.id), // names workspace A for B's contact
      created(workspaceB, foreign.id), // names workspace B inside A's batch
      created(workspaceA, randomUUID()), // no such contact
    ]);
    expect(error).toBeUndefined();
    expect(result).toEqual({ workspaceId: workspaceA, events: 10, ignored: 4, skipped: 1, enriched: 4, failed: 1, saved: 5, filled: 3 });

    expect(await attributesOf(business.id)).toEqual({ company: "Acme Corp", domain: "acme-corp.co.uk" });
    expect(await attributesOf(freeMail.id)).toEqual({});
    // A value the user set wins; the missing domain is still filled.
    expect(await attributesOf(userSet.id)).toEqual({ company: "Widgets International", plan: "pro", domain: "widgets.io" });
    expect(await attributesOf(blank.id)).toEqual({ company: "Blank", domain: "blank.dev" });
    expect(await attributesOf(phoneOnly.id)).toEqual({});
    expect(await attributesOf(foreign.id)).toEqual({});

    const rows = await listContactEnrichments(database.db, { workspaceId: workspaceA, contactIds: [business.id, freeMail.id, userSet.id, noDomain.id, phoneOnly.id] });
    const byId = Object.fromEntries(rows.map((row) => [row.contactId, row]));
    expect(byId[business.id]).toMatchObject({ domain: "acme-corp.co.uk", company: "Acme Corp", isFreeMail: false, provider: "domain", error: null });
    expect(byId[freeMail.id]).toMatchObject({ domain: "gmail.com", company: null, isFreeMail: true, error: null });
    // The provider's answer is kept even where the user's value won on the contact.
    expect(byId[userSet.id]).toMatchObject({ company: "Widgets", domain: "widgets.io" });
    expect(byId[noDomain.id]).toMatchObject({ domain: null, company: null, error: "the email address has no usable domain" });
    expect(byId[phoneOnly.id]).toBeUndefined();
    expect(await database.db.select().from(contactEnrichments).where(eq(contactEnrichments.contactId, foreign.id))).toEqual([]);
  });

  it("a repeated batch (retry, replay) changes nothing a second time", async () => {
    const ann = await contact(workspaceA, { email: "ann@repeat.com" });
    const first = await run([created(workspaceA, ann.id)]);
    expect(first.result).toMatchObject({ enriched: 1, filled: 1 });
    const before = (await database.db.select().from(contacts).where(eq(contacts.id, ann.id)))[0]!;
    const second = await run([created(workspaceA, ann.id)]);
    expect(second.result).toMatchObject({ enriched: 1, saved: 1, filled: 0 });
    const after = (await database.db.select().from(contacts).where(eq(contacts.id, ann.id)))[0]!;
    expect(after.attributes).toEqual({ company: "Repeat", domain: "repeat.com" });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("a rate-limited provider becomes a RetryAfterError and writes nothing", async () => {
    const ann = await contact(workspaceA, { email: "ann@ratelimited.com" });
    stub.provider = failing(new ProviderError("enrichment API: rate limited", "rate-limited", { provider: "http", status: 429, retryAfterMs: 30_000 }));
    const { error } = await run([created(workspaceA, ann.id)]);
    expect(error).toMatchObject({ name: "RetryAfterError", message: "enrichment API: rate limited" });
    expect(await listContactEnrichments(database.db, { workspaceId: workspaceA, contactIds: [ann.id] })).toEqual([]);
  });

  it("a transient failure is retried and writes nothing", async () => {
    const ann = await contact(workspaceA, { email: "ann@flaky.com" });
    stub.provider = failing(new ProviderError("enrichment API: 503", "transient", { provider: "http", status: 503 }));
    const { error } = await run([created(workspaceA, ann.id)]);
    expect(error).toMatchObject({ message: "enrichment API: 503" });
    expect(await listContactEnrichments(database.db, { workspaceId: workspaceA, contactIds: [ann.id] })).toEqual([]);
  });

  it("a permanent failure is recorded for every contact and does not fail the batch", async () => {
    const ann = await contact(workspaceA, { email: "ann@denied.com" });
    const bo = await contact(workspaceA, { email: "bo@denied.com" });
    stub.provider = failing(new ProviderError("enrichment API: 401 (check ENRICHMENT_API_KEY)", "permanent", { provider: "http", status: 401 }));
    const { result, error } = await run([created(workspaceA, ann.id), created(workspaceA, bo.id)]);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ enriched: 0, failed: 2, saved: 2, filled: 0 });
    const rows = await listContactEnrichments(database.db, { workspaceId: workspaceA, contactIds: [ann.id, bo.id] });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ provider: "failing", error: "enrichment API: 401 (check ENRICHMENT_API_KEY)", domain: null });
    const attrs = await database.db.select({ attributes: contacts.attributes }).from(contacts).where(inArray(contacts.id, [ann.id, bo.id]));
    expect(attrs.map((row) => row.attributes)).toEqual([{}, {}]);
  });

  it("deleting a contact deletes its enrichment", async () => {
    const ann = await contact(workspaceA, { email: "ann@gone.com" });
    await run([created(workspaceA, ann.id)]);
    await database.db.delete(contacts).where(eq(contacts.id, ann.id));
    expect(await database.db.select().from(contactEnrichments).where(eq(contactEnrichments.contactId, ann.id))).toEqual([]);
  });
});
