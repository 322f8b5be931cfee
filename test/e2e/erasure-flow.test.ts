import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { getContact } from "@/db/queries/contacts";
import { getErasure, listErasures } from "@/db/queries/erasures";
import { getImport } from "@/db/queries/imports";
import { addListMembers, insertList } from "@/db/queries/lists";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { isSuppressed } from "@/db/queries/suppressions";
import { contactPreferences, contactSources, dataExports, mailboxMessages, webhookEvents, whatsappContacts } from "@/db/schema";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { rowsOf } from "@/db/queries/rows-of";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Erasure end to end, through the local engine with the clock under the test's control: the
 * app and the in-process engine read the same faked Date, so a day passes in a moment while
 * timers stay real. The recovery window (24 h), the daily quota of erasures per workspace (10,
 * throttle) and of recovery emails per contact (2, rateLimit) are the defaults.
 */
const HOUR = 3_600_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-erasure-"));
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let apiKey: string;
let workspaceId: string;
let contactsRoute: typeof import("@/app/api/v1/contacts/route");
let contactRoute: typeof import("@/app/api/v1/contacts/[id]/route");
let erasuresRoute: typeof import("@/app/api/v1/erasures/route");
let resendRoute: typeof import("@/app/api/v1/erasures/[id]/recovery-email/route");
let restorePage: typeof import("@/app/erasure/restore/route");
let notificationsRoute: typeof import("@/app/api/v1/notifications/route");
let importsRoute: typeof import("@/app/api/v1/imports/route");
/**
 * Starts at the real time: PostgreSQL's now() (column defaults) keeps the real clock, so the app's
 * clock may run ahead of it (a day jumped) but never behind it.
 */
const START = Date.now();

/** Moves the app's and the engine's clock forward (it keeps running from there). */
let advance: (ms: number) => void;

beforeAll(async () => {
  ({ advance } = useTestClock(START));
  process.env.SENDLINE_DATA_DIR = dataDir;
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Erasure Co" }));
  // Persistent: the engine's state survives the restart of the last case.
  app = await startAppEngine({ persistent: true });
  contactsRoute = await import("@/app/api/v1/contacts/route");
  contactRoute = await import("@/app/api/v1/contacts/[id]/route");
  erasuresRoute = await import("@/app/api/v1/erasures/route");
  resendRoute = await import("@/app/api/v1/erasures/[id]/recovery-email/route");
  restorePage = await import("@/app/erasure/restore/route");
  notificationsRoute = await import("@/app/api/v1/notifications/route");
  importsRoute = await import("@/app/api/v1/imports/route");
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await database?.close();
  vi.useRealTimers();
  delete process.env.SENDLINE_DATA_DIR;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const upsert = async (body: Record<string, unknown>) => {
  const response = await callRoute(contactsRoute.POST, { method: "POST", path: "/api/v1/contacts", apiKey, body });
  expect(response.status).toBeLessThan(300);
  return response.body as { id: string };
};
const erase = (contactId: string) => callRoute(contactRoute.DELETE, { method: "DELETE", path: `/api/v1/contacts/${contactId}`, apiKey, params: { id: contactId } });
const erasureOf = (erasureId: string) => getErasure(database.db, { workspaceId, erasureId }).then((row) => row!);
const outboxTo = async (address: string) => (await listOutboxMessages(database.db, { workspaceId, filter: {}, limit: 100 })).filter((row) => row.to.includes(address));
const restoreToken = (html: string) => /\/erasure\/restore\?token=([A-Za-z0-9_.-]+)/.exec(html)?.[1];

async function snapshot(contactId: string) {
  const one = async (query: ReturnType<typeof sql>) => rowsOf<Record<string, unknown>>(await database.db.execute(query));
  return {
    contact: await one(sql`select * from contacts where id = ${contactId}::uuid`),
    lists: await one(sql`select list_id, created_at from list_members where contact_id = ${contactId}::uuid order by list_id`),
    preferences: await one(sql`select channel, category_id, enabled, source, updated_at from contact_preferences where contact_id = ${contactId}::uuid order by channel`),
    whatsapp: await one(sql`select * from whatsapp_contacts where contact_id = ${contactId}::uuid`),
  };
}

/** Every text, varchar and jsonb column of every table, searched for `needle` (case-insensitively). */
async function tablesHolding(needle: string): Promise<string[]> {
  const columns = rowsOf<{ table_name: string; column_name: string }>(
    await database.db.execute(sql`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')
      order by c.table_name, c.column_name`),
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const result = await database.db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where strpos(lower(${sql.identifier(column_name)}::text), ${needle.toLowerCase()}) > 0`,
    );
    if (Number(rowsOf<{ n: number }>(result)[0]!.n) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

async function importCsv(csv: string, name: string) {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), name);
  const response = await importsRoute.POST(new Request("http://localhost/api/v1/imports", { method: "POST", headers: { authorization: `Bearer ${apiKey}` }, body: form }), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(202);
  const { id: importId } = (await response.json()) as { id: string };
  return waitFor(async () => (await getImport(database.db, { workspaceId, importId }))!, (row) => row.status !== "queued" && row.status !== "running", 60_000);
}

describe("erasure through the engine", () => {
  it("hides the contact at once and a restore within 24 hours leaves it exactly as it was", { timeout: 60_000 }, async () => {
    const { id } = await upsert({ email: "Restore.Me@Example.com", phone: "+14155550101", firstName: "Rita", lastName: "Store", locale: "en-US", timezone: "Europe/Paris", birthday: "1990-11-23", attributes: { plan: "pro", score: 7 } });
    const list = (await insertList(database.db, { workspaceId, name: "Restorable", description: null }))!;
    await addListMembers(database.db, { workspaceId, listId: list.id, contactIds: [id] });
    await database.db.insert(contactPreferences).values({ workspaceId, contactId: id, channel: "sms", enabled: false, source: "api" });
    await database.db.insert(whatsappContacts).values({ workspaceId, contactId: id, optedInAt: new Date(Date.now() - HOUR), optInSource: "checkout" });
    // A new contact is enriched (company, domain) within a few seconds: let that settle first.
    await waitFor(async () => rowsOf(await database.db.execute(sql`select 1 from contact_enrichments where contact_id = ${id}::uuid`)).length, (n) => n === 1);
    const before = await snapshot(id);

    const erased = await erase(id);
    expect(erased.status).toBe(202);
    expect(erased.body).toMatchObject({ subject: "contact", contactId: id, status: "pending" });
    expect(Date.parse(erased.body.eraseAfter) - Date.parse(erased.body.requestedAt)).toBe(24 * HOUR);
    // A second request answers the open erasure.
    expect((await erase(id)).body.id).toBe(erased.body.id);
    // Hidden everywhere at once: lookups, lists, segments, notifications.
    expect((await callRoute(contactRoute.GET, { path: `/api/v1/contacts/${id}`, apiKey, params: { id } })).status).toBe(404);
    expect((await callRoute(contactsRoute.GET, { path: "/api/v1/contacts?email=restore.me%40example.com", apiKey })).body.data).toEqual([]);
    const refused = await callRoute(notificationsRoute.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body: { messageId: "to-hidden", channel: "email", contactId: id, subject: "Hi", body: "<p>Hi</p>" } });
    expect(refused.status).toBe(404);

    // The recovery email goes through the ordinary send path (the outbox) although the contact is hidden.
    const [mail] = await waitFor(() => outboxTo("restore.me@example.com"), (rows) => rows.length === 1);
    expect(mail!.subject).toMatch(/Erasure Co/);
    const token = restoreToken(mail!.html ?? "");
    expect(token).toBeDefined();

    advance(23 * HOUR);
    const page = await restorePage.GET(new Request(`http://localhost/erasure/restore?token=${token}`));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Erasure Co/);
    const restored = await restorePage.POST(new Request(`http://localhost/erasure/restore?token=${token}`, { method: "POST" }));
    expect(restored.status).toBe(200);
    expect(await restored.text()).toMatch(/restored/);
    // Used twice: a clear page, nothing changes.
    const twice = await restorePage.POST(new Request(`http://localhost/erasure/restore?token=${token}`, { method: "POST" }));
    expect(twice.status).toBe(410);
    expect(await twice.text()).toMatch(/Already restored/);

    // The window's run is cancelled; a day later nothing has been erased.
    await waitFor(async () => (await app.engine.listRuns({ fnId: "sendline-erase-after-window" })).filter((run) => run.status === "cancelled").length, (n) => n >= 1);
    advance(2 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await erasureOf(erased.body.id)).toMatchObject({ status: "restored", executedAt: null });
    expect(await snapshot(id)).toEqual(before);
    expect((await callRoute(contactRoute.GET, { path: `/api/v1/contacts/${id}`, apiKey, params: { id } })).status).toBe(200);
  });

  it("after 24 hours erases the contact from every table, keeps only a salted hash in suppressions, and a re-import stays suppressed", { timeout: 120_000 }, async () => {
    const email = "gone.for.good@example.com";
    const phone = "+14155550199";
    // An import that creates the contact and reports a duplicate line quoting the email.
    const csv = `email,phone,first_name\n${email},${phone},Gina\n${email},,Gina\n`;
    const imported = await importCsv(csv, "gone.csv");
    expect(imported).toMatchObject({ status: "completed", inserted: 1 });
    const contact = (await callRoute(contactsRoute.GET, { path: `/api/v1/contacts?email=${encodeURIComponent(email)}`, apiKey })).body.data[0] as { id: string };
    const list = (await insertList(database.db, { workspaceId, name: "Goners", description: null }))!;
    await addListMembers(database.db, { workspaceId, listId: list.id, contactIds: [contact.id] });
    // A notification to the contact, delivered to the outbox.
    const sent = await callRoute(notificationsRoute.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body: { messageId: "before-erasure", channel: "email", contactId: contact.id, subject: `Hello ${email}`, body: `<p>For ${email}</p>` } });
    expect(sent.status).toBe(202);
    await waitFor(() => outboxTo(email), (rows) => rows.length === 1);
    // Other places an address ends up: a provider's webhook, an audit entry, an export file.
    await database.db.insert(webhookEvents).values({ provider: "resend", deliveryId: "wh-1", type: "email.delivered", payload: { data: { to: [email] } } });
    await insertAuditEntry(database.db, { workspaceId, actor: "test", action: "contact.noted", targetType: "contact", targetId: contact.id, details: { email, phone } });
    const storage = createFileStorage();
    const file = await storage.put("exports/erasure-test/file", (async function* () { yield Buffer.from(`{"email":"${email}"}`); })());
    await database.db.insert(dataExports).values({ workspaceId, subject: "contact", contactId: contact.id, status: "ready", storageKey: file.key, requestedBy: "test", createdAt: new Date() });
    // A workspace export made before the erasure holds the contact too: it is withdrawn.
    const whole = await storage.put("exports/erasure-test/workspace", (async function* () { yield Buffer.from(`{"email":"${email}"}`); })());
    const [workspaceExport] = await database.db.insert(dataExports).values({ workspaceId, subject: "workspace", status: "ready", storageKey: whole.key, requestedBy: "test", createdAt: new Date(Date.now() - 1_000) }).returning();
    // A mailbox message naming the person (capitalised, and quoted in its subject and body), and where the mailbox filled their phone.
    const [mail] = await database.db
      .insert(mailboxMessages)
      .values({
        workspaceId,
        messageId: "gone-1@mail.example",
        threadId: "gone-1@mail.example",
        fromAddress: { name: "Gina Gone", address: "Gone.For.Good@Example.com" },
        toAddresses: [{ name: "Owner", address: "owner@erasure.example" }],
        participants: [email, "owner@erasure.example"],
        subject: `From ${email.toUpperCase()}`,
        snippet: `Call me on ${phone}`,
        body: `Call me on ${phone}\n--\nGina, ${email}`,
        direction: "received",
      })
      .returning();
    await database.db.insert(contactSources).values({ workspaceId, contactId: contact.id, field: "phone", value: phone, source: "signature", mailboxMessageId: mail!.id, firstSeenAt: new Date(), lastSeenAt: new Date() });
    expect((await tablesHolding(email)).length).toBeGreaterThan(3);

    const erasure = (await erase(contact.id)).body as { id: string };
    await waitFor(() => outboxTo(email), (rows) => rows.length === 2);
    advance(24 * HOUR + 60_000);
    const done = await waitFor(() => erasureOf(erasure.id), (row) => row.status === "erased", 60_000);
    expect(done.counts).toMatchObject({ contacts: 1, messages: 2, outbox_messages: 2, list_members: 1, data_exports: 2, webhook_events: 1, mailbox_messages: 1, contact_sources: 1 });
    // The mailbox message stays, under its Message-ID (a re-import recognises it), naming nobody.
    expect((await database.db.select().from(mailboxMessages).where(eq(mailboxMessages.id, mail!.id)))[0]).toMatchObject({ messageId: "gone-1@mail.example", fromAddress: { name: null, address: "redacted" }, participants: ["owner@erasure.example"] });
    await expect(storage.openRead(whole.key)).rejects.toMatchObject({ kind: "not-found" });
    expect((await database.db.select().from(dataExports).where(eq(dataExports.id, workspaceExport!.id)))[0]).toMatchObject({ status: "expired", storageKey: null, error: expect.stringMatching(/^Withdrawn/) });

    expect(await tablesHolding(email)).toEqual([]);
    expect(await tablesHolding(phone)).toEqual([]);
    expect(await tablesHolding("4155550199")).toEqual([]);
    await expect(storage.openRead(file.key)).rejects.toMatchObject({ kind: "not-found" });
    expect(await getContact(database.db, { workspaceId, contactId: contact.id, includeHidden: true })).toBeUndefined();
    const steps = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from audit_log where actor = 'function:execute-erasure' and target_id = ${erasure.id}`));
    expect(Number(steps[0]!.n)).toBeGreaterThanOrEqual(15);
    expect(await isSuppressed(database.db, { workspaceId, channel: "email", address: email })).toBe(true);
    expect(await isSuppressed(database.db, { workspaceId, channel: "sms", address: phone })).toBe(true);
    const hashes = rowsOf<{ address_hash: string; reason: string }>(await database.db.execute(sql`select address_hash, reason from suppressions where workspace_id = ${workspaceId}::uuid`));
    expect(hashes.filter((row) => row.reason === "erased").every((row) => row.address_hash.startsWith("s1:"))).toBe(true);

    // The same person imported again: a new contact, whose consent the erasure did not leave behind.
    const again = await importCsv(`email,first_name\n${email},Gina\n`, "gone-again.csv");
    expect(again).toMatchObject({ status: "completed", inserted: 1 });
    const reborn = (await callRoute(contactsRoute.GET, { path: `/api/v1/contacts?email=${encodeURIComponent(email)}`, apiKey })).body.data[0] as { id: string };
    const resent = await callRoute(notificationsRoute.POST, { method: "POST", path: "/api/v1/notifications", apiKey, body: { messageId: "after-erasure", channel: "email", contactId: reborn.id, subject: "Hi", body: "<p>Hi</p>" } });
    expect(resent.status).toBe(202);
    const status = await waitFor(
      async () => rowsOf<{ status: string }>(await database.db.execute(sql`select status from messages where id = ${resent.body.id}::uuid`))[0]!.status,
      (value) => value !== "queued" && value !== "sending",
    );
    expect(status).toBe("suppressed");
  });

  it("executes 10 of 50 erasures a day and the rest on the following days, none dropped", { timeout: 180_000 }, async () => {
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) ids.push((await upsert({ email: `bulk-${n}@example.com` })).id);
    const bulk = await callRoute(erasuresRoute.POST, { method: "POST", path: "/api/v1/erasures", apiKey, body: { contactIds: ids } });
    expect(bulk.status).toBe(202);
    expect(bulk.body.data).toHaveLength(50);
    const mine = new Set(bulk.body.data.map((row: { id: string }) => row.id));
    const erasedCount = async () => (await listErasures(database.db, { workspaceId, status: "erased", limit: 100 })).filter((row) => mine.has(row.id)).length;

    advance(24 * HOUR + 60_000);
    for (let day = 1; day <= 5; day++) {
      await waitFor(erasedCount, (n) => n === 10 * day, 60_000);
      // The rest wait: nothing more runs until the next day's quota.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await erasedCount()).toBe(10 * day);
      const waiting = (await listErasures(database.db, { workspaceId, status: "waiting", limit: 100 })).filter((row) => mine.has(row.id)).length;
      expect(waiting).toBe(50 - 10 * day);
      advance(24 * HOUR);
    }
  });

  it("sends at most 2 recovery emails a day for one contact, however often asked", { timeout: 60_000 }, async () => {
    const email = "many.reminders@example.com";
    const { id } = await upsert({ email });
    const erasure = (await erase(id)).body as { id: string };
    await waitFor(() => outboxTo(email), (rows) => rows.length === 1);
    const resend = () => callRoute(resendRoute.POST, { method: "POST", path: `/api/v1/erasures/${erasure.id}/recovery-email`, apiKey, params: { id: erasure.id } });
    const start = Date.now();
    // Four more triggers through the day (five in all): the limit's second email is due 12 hours after the first.
    for (const hours of [1, 6, 12.1, 13]) {
      vi.setSystemTime(start + hours * HOUR);
      expect((await resend()).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await outboxTo(email)).toHaveLength(2);
    expect((await erasureOf(erasure.id)).recoveryEmailsSent).toBe(2);
  });

  it("finishes an erasure the engine was stopped in the middle of", { timeout: 90_000 }, async () => {
    const email = "half.way@example.com";
    const { id } = await upsert({ email, phone: "+14155550777" });
    const erasure = (await erase(id)).body as { id: string };
    await waitFor(() => outboxTo(email), (rows) => rows.length === 1);
    advance(24 * HOUR + 60_000);
    await waitFor(() => erasureOf(erasure.id), (row) => row.status === "erasing", 30_000);
    await app.restart(0);
    const atStop = await erasureOf(erasure.id);
    console.log(`engine restarted with the erasure ${atStop.status}`);
    expect(atStop.status).toBe("erasing");
    const done = await waitFor(() => erasureOf(erasure.id), (row) => row.status === "erased", 60_000);
    // A step cut off mid-call may have done its work before it was re-run: its count is then what
    // the re-run still found (0). What matters is that every step ran to the end.
    expect(Object.keys(done.counts)).toEqual(expect.arrayContaining(["suppressions", "messages", "outbox_messages", "list_members", "contacts"]));
    expect(await getContact(database.db, { workspaceId, contactId: id, includeHidden: true })).toBeUndefined();
    expect(await tablesHolding(email)).toEqual([]);
    expect(await tablesHolding("4155550777")).toEqual([]);
  });
});
