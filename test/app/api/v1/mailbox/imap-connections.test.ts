import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { getMailboxConnection, setMailboxConnectionStatus } from "@/db/queries/mailbox-connections";
import { openMailboxCredentials } from "@/lib/mailbox/mailbox-credentials";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { OWNER } from "@/test/fixtures/mailbox/mail-fixtures";
import { callRoute } from "@/test/support/api";
import { useTestDatabase } from "@/test/support/database";
import { type Dovecot, dovecotAvailability, startDovecot } from "@/test/support/dovecot";
import { freePort } from "@/test/support/free-port";
import { setUpImportEnvironment } from "@/test/inngest/functions/imports/import-harness";

const env = await setUpImportEnvironment();
const connectionsRoute = await import("@/app/api/v1/mailbox/connections/route");
const syncRoute = await import("@/app/api/v1/mailbox/connections/[id]/sync/route");
const credentialsRoute = await import("@/app/api/v1/mailbox/connections/[id]/credentials/route");
const resumeRoute = await import("@/app/api/v1/mailbox/connections/[id]/resume/route");
const pauseRoute = await import("@/app/api/v1/mailbox/connections/[id]/pause/route");

const availability = dovecotAvailability();
let dovecot: Dovecot;
let database: Database;
let apiKey: string;
let otherKey: string;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ apiKey, workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "IMAP API" }));
  ({ apiKey: otherKey } = await createWorkspace(database.db, { name: "Other" }));
  if (availability.available) dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
  await database.close();
  await env.tearDown();
});

const imap = (overrides: Record<string, unknown> = {}) => ({ kind: "imap", host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, ownerAddresses: [OWNER], ...overrides });
const connect = (body: unknown, key = apiKey) => callRoute(connectionsRoute.POST, { method: "POST", path: "/api/v1/mailbox/connections", apiKey: key, body });
const syncEvents = (connectionId: string) => env.recorder.events.filter((event) => event.name === "mailbox/sync.requested" && (event.data as { connectionId: string }).connectionId === connectionId);

describe("POST /api/v1/mailbox/connections (IMAP)", () => {
  it("refuses bad input with field errors before trying any server", async () => {
    const { status, body } = await connect({ kind: "imap", host: "", port: 70_000, user: "", password: "", ownerAddresses: ["not an address"], historyDays: 0 });
    expect(status).toBe(400);
    expect(Object.keys(body.error.fields).sort()).toEqual(["historyDays", "host", "ownerAddresses", "password", "port", "user"].sort());
    expect((await connect({ kind: "pop3", host: "mail.example" })).status).toBe(400);
  });
});

describe.skipIf(!availability.available)("IMAP connections through the API against Dovecot", () => {
  it("logs in, stores the connection with the password sealed (never shown), and queues an incremental and a backfill sync", async () => {
    const { status, body } = await connect(imap({ label: "Owner's mail", historyDays: 90 }));
    expect(status).toBe(201);
    expect(body).toMatchObject({
      kind: "imap",
      status: "active",
      label: "Owner's mail",
      historyDays: 90,
      settings: { kind: "imap", host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, folders: ["INBOX", "Sent"] },
      lastSyncedAt: null,
      backfilledAt: null,
    });
    expect(JSON.stringify(body)).not.toContain(dovecot.password);
    const row = (await getMailboxConnection(database.db, { workspaceId, connectionId: body.id }))!;
    expect(row.credentials).not.toContain(dovecot.password);
    expect(openMailboxCredentials(row)).toBe(dovecot.password);
    expect(syncEvents(body.id).map((event) => [event.id, (event.data as { mode: string }).mode])).toEqual([
      [`mailbox-incremental-${body.id}-created`, "incremental"],
      [`mailbox-backfill-${body.id}-created`, "backfill"],
    ]);
  });

  it("answers 422 with the server's words for a refused password and 502 for a server that is not there, storing nothing", async () => {
    const refused = await connect(imap({ password: "wrong" }));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "credentials_refused", fields: { password: [expect.stringMatching(/refused the login: .*Authentication failed/i)] } });
    const unreachable = await connect(imap({ port: await freePort() }));
    expect(unreachable.status).toBe(502);
    expect(unreachable.body.error).toMatchObject({ code: "server_unreachable", fields: { host: [expect.stringContaining("Could not reach an IMAP server at 127.0.0.1:")] } });
    expect(JSON.stringify([refused.body, unreachable.body])).not.toContain("wrong");
    const list = await callRoute(connectionsRoute.GET, { path: "/api/v1/mailbox/connections", apiKey });
    expect(list.body.data).toHaveLength(1);
  });

  it("syncs on demand only while active, reconnects with a new password after a refusal, and resumes with a sync", async () => {
    const { body: created } = await connect(imap());
    const id = created.id as string;
    const params = { id };
    const sync = () => callRoute(syncRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/sync`, apiKey, params });
    expect((await sync()).status).toBe(200);
    expect(syncEvents(id).at(-1)).toMatchObject({ id: expect.stringMatching(new RegExp(`^mailbox-incremental-${id}-requested-`)), data: { mode: "incremental" } });
    expect((await callRoute(syncRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/sync`, apiKey: otherKey, params })).status).toBe(404);

    await setMailboxConnectionStatus(database.db, { workspaceId, connectionId: id, from: ["active"], to: "reconnect", reason: "The server refused the stored credentials" });
    expect((await sync()).status).toBe(409);
    const reconnect = (password: string) => callRoute(credentialsRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/credentials`, apiKey, params, body: { password } });
    expect((await reconnect("still-wrong")).status).toBe(422);
    expect((await getMailboxConnection(database.db, { workspaceId, connectionId: id }))!.status).toBe("reconnect");
    expect((await callRoute(credentialsRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/credentials`, apiKey, params, body: {} })).status).toBe(400);
    const reconnected = await reconnect(dovecot.password);
    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ status: "active", statusReason: null });
    expect(syncEvents(id).slice(-2).map((event) => (event.data as { mode: string }).mode)).toEqual(["incremental", "backfill"]);
    expect((await reconnect(dovecot.password)).status).toBe(409);

    expect((await callRoute(pauseRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/pause`, apiKey, params })).status).toBe(200);
    const before = syncEvents(id).length;
    expect((await callRoute(resumeRoute.POST, { method: "POST", path: `/api/v1/mailbox/connections/${id}/resume`, apiKey, params })).status).toBe(200);
    expect(syncEvents(id).slice(before).map((event) => (event.data as { mode: string }).mode)).toEqual(["incremental", "backfill"]);
  });
});
