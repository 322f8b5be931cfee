import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listContactEnrichments } from "@/db/queries/contact-enrichments";
import { contacts } from "@/db/schema";
import { contactCreated } from "@/inngest/events";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";

/**
 * Enrichment end to end through the local engine: `contact/created` events sent through the
 * app's client are batched by the engine (per workspace, up to 100), each batch runs the real
 * function through the app's serve() route, and every contact ends up enriched.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let client: typeof import("@/inngest/client");
let contactsRoute: typeof import("@/app/api/v1/contacts/route");
let database: Database;
let workspaceId: string;
let apiKey: string;

const ENRICH_FN = "sendline-enrich-contacts";

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Enrich E2E" }));
  app = await startAppEngine();
  client = await import("@/inngest/client");
  contactsRoute = await import("@/app/api/v1/contacts/route");
});
afterAll(async () => {
  await app?.stop();
  await database?.close();
});

describe("contact enrichment through the engine", () => {
  it("turns 250 contact/created events into 3 batched runs (100/100/50) that enrich every contact", async () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({
      workspaceId,
      email: i % 5 === 0 ? `person${i}@gmail.com` : `person${i}@company-${i % 7}.co.uk`,
    }));
    const inserted = await database.db.insert(contacts).values(rows).returning({ id: contacts.id, email: contacts.email });
    const ids = inserted.map((row) => row.id);

    const started = Date.now();
    await client.inngest.send(ids.map((contactId) => contactCreated.create({ workspaceId, contactId }, { id: `contact-created-${contactId}` })));

    const runs = await waitFor(
      () => app.engine.listRuns({ fnId: ENRICH_FN }),
      (list) => list.length === 3 && list.every((run) => run.status === "completed"),
    );
    console.log(`250 contacts enriched in ${Date.now() - started} ms over ${runs.length} runs`);
    expect(runs.map((run) => run.events.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(runs.map((run) => run.output)).toEqual(
      expect.arrayContaining([expect.objectContaining({ workspaceId, events: 50, ignored: 0, failed: 0, saved: 50 })]),
    );

    const enrichments = await listContactEnrichments(database.db, { workspaceId, contactIds: ids });
    expect(enrichments).toHaveLength(250);
    expect(enrichments.every((row) => row.error === null && row.provider === "domain")).toBe(true);
    expect(enrichments.filter((row) => row.isFreeMail)).toHaveLength(50);

    const stored = await database.db.select({ email: contacts.email, attributes: contacts.attributes }).from(contacts);
    const person1 = stored.find((row) => row.email === "person1@company-1.co.uk")!;
    expect(person1.attributes).toEqual({ company: "Company 1", domain: "company-1.co.uk" });
    expect(stored.find((row) => row.email === "person0@gmail.com")!.attributes).toEqual({});
  });

  it("POST /api/v1/contacts emits contact/created for a new contact only, and the contact is enriched", async () => {
    const post = (body: unknown) => callRoute(contactsRoute.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body });
    const created = await post({ email: "grace@hopper-labs.com", attributes: { company: "Hopper Labs Inc." } });
    expect(created.status).toBe(201);
    const updated = await post({ email: "GRACE@hopper-labs.com", firstName: "Grace" });
    expect(updated.status).toBe(200);

    const [run] = await waitFor(
      async () => (await app.engine.listRuns({ fnId: ENRICH_FN })).filter((r) => r.events.some((e) => e.data.contactId === created.body.id)),
      (list) => list.length === 1 && list[0]!.status === "completed",
    );
    expect(run!.events).toHaveLength(1);
    expect(run!.events[0]!.id).toBe(`contact-created-${created.body.id}`);
    const [enrichment] = await listContactEnrichments(database.db, { workspaceId, contactIds: [created.body.id] });
    expect(enrichment).toMatchObject({ domain: "hopper-labs.com", company: "Hopper Labs" });
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.id, created.body.id));
    expect(contact!.attributes).toEqual({ company: "Hopper Labs Inc.", domain: "hopper-labs.com" });
  });
});
