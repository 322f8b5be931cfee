import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { auditLog, contacts } from "@/db/schema";
import { retentionConfirmationSchema, retentionDryRunSchema, retentionPolicySchema } from "@/lib/api/contracts/retention";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { type RetentionWorld, seedRetentionWorld } from "@/test/lib/lifecycle/retention-world";

const policy = await import("@/app/api/v1/retention-policy/route");
const dryRun = await import("@/app/api/v1/retention-policy/dry-run/route");
const runs = await import("@/app/api/v1/retention-runs/route");

let database: Database;
let mine: RetentionWorld;
let other: RetentionWorld;

beforeAll(async () => {
  database = await useTestDatabase();
  mine = await seedRetentionWorld(database.db, { name: "Mine", now: new Date() });
  other = await seedRetentionWorld(database.db, { name: "Other", now: new Date() });
});
afterAll(() => database.close());

const put = (body: unknown, apiKey = mine.apiKey) => callRoute(policy.PUT, { method: "PUT", path: "/api/v1/retention-policy", apiKey, body });
const get = (apiKey = mine.apiKey) => callRoute(policy.GET, { path: "/api/v1/retention-policy", apiKey });
const dry = (body?: unknown, apiKey = mine.apiKey) => callRoute(dryRun.POST, { method: "POST", path: "/api/v1/retention-policy/dry-run", apiKey, body });
const listRuns = (query = "", apiKey = mine.apiKey) => callRoute(runs.GET, { path: `/api/v1/retention-runs${query}`, apiKey });

describe("/api/v1/retention-policy", () => {
  it("answers every rule off for a workspace that never set one", async () => {
    const answer = await get();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ enabled: false, inactiveContactDays: null, messageBodyDays: null, webhookPayloadDays: null, runDataDays: null, confirmShare: 0.1, confirmedAt: null, updatedBy: null, updatedAt: null });
    expect(retentionPolicySchema.safeParse(answer.body).success).toBe(true);
  });

  it.each([
    [{ inactiveContactDays: 0 }, "inactiveContactDays"],
    [{ messageBodyDays: 1.5 }, "messageBodyDays"],
    [{ webhookPayloadDays: 36_501 }, "webhookPayloadDays"],
    [{ runDataDays: "30" }, "runDataDays"],
    [{ confirmShare: 0 }, "confirmShare"],
    [{ confirmShare: 1.5 }, "confirmShare"],
    [{ enabled: "yes" }, "enabled"],
    [{ keepForever: true }, "keepForever"],
  ])("refuses %j with a field error (400)", async (body, field) => {
    const answer = await put(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_request");
    expect(Object.keys(answer.body.error.fields)).toEqual([field]);
  });

  it("answers 400 for a body that is not JSON and 401 without a key", async () => {
    expect((await put("{nope")).body.error.code).toBe("invalid_json");
    expect((await callRoute(policy.GET, { path: "/api/v1/retention-policy" })).status).toBe(401);
  });

  it("refuses to enable a policy that would anonymise more than the share (409 with the report), then takes it confirmed", async () => {
    const refused = await put({ enabled: true, inactiveContactDays: 30, messageBodyDays: 30 });
    expect(refused.status).toBe(409);
    expect(retentionConfirmationSchema.safeParse(refused.body).success).toBe(true);
    expect(refused.body.error).toMatchObject({ code: "confirmation_required", message: expect.stringMatching(/1 of 4 contacts \(25\.0 %\).*"confirm": true/) });
    expect(refused.body.report).toMatchObject({ contacts: { live: 4, wouldAnonymise: 1, share: 0.25 }, needsConfirmation: true });
    expect(refused.body.report.targets.anonymisedContacts.sample).toEqual([mine.contacts.quiet.id]);
    // Nothing was stored, nothing was anonymised.
    expect((await get()).body.enabled).toBe(false);
    const [quiet] = await database.db.select().from(contacts).where(eq(contacts.id, mine.contacts.quiet.id));
    expect(quiet!.anonymisedAt).toBeNull();

    const confirmed = await put({ enabled: true, inactiveContactDays: 30, messageBodyDays: 30, confirm: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ enabled: true, inactiveContactDays: 30, messageBodyDays: 30, webhookPayloadDays: null, runDataDays: null, confirmedAt: expect.any(String), updatedBy: expect.stringMatching(/^api_key:/) });
    expect((await get()).body).toEqual(confirmed.body);
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, mine.workspaceId), eq(auditLog.action, "retention_policy.updated")));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ enabled: true, confirmed: true, wouldAnonymise: 1, share: 0.25 });

    // Saving the same confirmed policy again asks nothing twice; changing a rule asks again.
    expect((await put({ enabled: true, inactiveContactDays: 30, messageBodyDays: 30 })).status).toBe(200);
    expect((await put({ enabled: true, inactiveContactDays: 20, messageBodyDays: 30 })).status).toBe(409);
    // A higher share lets it through without a confirmation; a disabled policy is never gated.
    expect((await put({ enabled: true, inactiveContactDays: 20, confirmShare: 0.5 })).body).toMatchObject({ enabled: true, confirmShare: 0.5, confirmedAt: null });
    expect((await put({ enabled: false, inactiveContactDays: 1, confirmShare: 0.01 })).status).toBe(200);
    // The other workspace's policy is its own.
    expect((await get(other.apiKey)).body.enabled).toBe(false);
  });
});

describe("/api/v1/retention-policy/dry-run", () => {
  it("reports per target for the stored policy (empty body) or the body's rules, and changes nothing", async () => {
    await put({ enabled: false, inactiveContactDays: 30, runDataDays: 30 });
    const stored = await dry();
    expect(stored.status).toBe(200);
    expect(retentionDryRunSchema.safeParse(stored.body).success).toBe(true);
    expect(stored.body.policy).toEqual({ inactiveContactDays: 30, messageBodyDays: null, webhookPayloadDays: null, runDataDays: 30, confirmShare: 0.1 });
    expect(stored.body.targets.anonymisedContacts).toMatchObject({ rule: "inactiveContactDays", days: 30, count: 1 });
    expect(stored.body.targets.messageBodies).toEqual({ rule: "messageBodyDays", days: null, cutoff: null, count: 0, sample: [] });
    expect(stored.body.targets.campaignChunks.count).toBe(2);

    const drafted = await dry({ webhookPayloadDays: 10, inactiveContactDays: null });
    expect(drafted.body.policy).toMatchObject({ inactiveContactDays: null, webhookPayloadDays: 10, runDataDays: 30 });
    expect(drafted.body.targets.webhookPayloads).toMatchObject({ count: 1, sample: [`resend:${mine.webhooks.oldWebhook}`] });
    expect(drafted.body).toMatchObject({ contacts: { wouldAnonymise: 0 }, needsConfirmation: false });
    // A dry run touches nothing.
    const [quiet] = await database.db.select().from(contacts).where(eq(contacts.id, mine.contacts.quiet.id));
    expect(quiet!.email).toMatch(/^quiet-/);

    const invalid = await dry({ runDataDays: 0, extra: 1 });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.fields).sort()).toEqual(["extra", "runDataDays"]);
  });
});

describe("/api/v1/retention-runs", () => {
  it("lists the workspace's runs newest first, page by page, and only its own", async () => {
    const first = await listRuns("?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0]).toMatchObject({ dryRun: true, status: "completed", counts: expect.objectContaining({ anonymisedContacts: expect.any(Number) }) });
    const all: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const answer = await listRuns(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      all.push(...answer.body.data.map((run: { id: string }) => run.id));
      cursor = answer.body.nextCursor;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect((await listRuns("", other.apiKey)).body.data).toEqual([]);
    expect((await listRuns("?dryRun=false")).body.data).toEqual([]);
    expect((await listRuns("?cursor=forged")).status).toBe(400);
  });
});
