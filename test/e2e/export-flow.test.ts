import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertDataExport } from "@/db/queries/data-exports";
import { listOutboxMessages } from "@/db/queries/outbox-messages";
import { exportsApi } from "@/lib/api/contracts/exports";
import { readExportZip } from "@/lib/exports/read-export-zip";
import { callRoute } from "@/test/support/api";
import { startAppEngine, waitFor } from "@/test/support/app-engine";
import { useTestDatabase } from "@/test/support/database";
import { type ExportWorld, seedExportWorld } from "@/test/lib/exports/export-fixtures";
import { useTestClock } from "@/test/support/test-clock";

/**
 * Exports end to end: the API records the request, the local engine runs build-export through
 * the app's serve() route (counting, chunk steps, the zip), the email with the signed link lands
 * in the outbox, and the link hands out the zip until it expires, with time moved for the app.
 */
let app: Awaited<ReturnType<typeof startAppEngine>>;
let database: Database;
let world: ExportWorld;
let dataDir: string;
let routes: typeof import("@/app/api/v1/exports/route");
let detail: typeof import("@/app/api/v1/exports/[id]/route");
let download: typeof import("@/app/api/public/exports/[token]/route");
let inngestClient: typeof import("@/inngest/client");
let exportEvent: typeof import("@/inngest/export-event");

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-export-e2e-"));
  process.env.SENDLINE_DATA_DIR = dataDir;
  // Small chunks: every file of the world takes several steps.
  process.env.EXPORT_CHUNK_ROWS = "100";
  database = await useTestDatabase();
  world = await seedExportWorld(database.db, "E2E");
  app = await startAppEngine();
  routes = await import("@/app/api/v1/exports/route");
  detail = await import("@/app/api/v1/exports/[id]/route");
  download = await import("@/app/api/public/exports/[token]/route");
  inngestClient = await import("@/inngest/client");
  exportEvent = await import("@/inngest/export-event");
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await app?.stop();
  await database?.close();
  delete process.env.SENDLINE_DATA_DIR;
  delete process.env.EXPORT_CHUNK_ROWS;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (body: unknown, apiKey = world.apiKey) => callRoute(routes.POST, { method: "POST", path: "/api/v1/exports", apiKey, body });
const get = (id: string, apiKey = world.apiKey) => callRoute(detail.GET, { path: `/api/v1/exports/${id}`, apiKey, params: { id } });
const finished = (id: string) => waitFor(() => get(id), (response) => ["ready", "failed"].includes(response.body.status), 30_000);
async function fetchLink(url: string) {
  const token = new URL(url).pathname.split("/").at(-1)!;
  const request = new Request(url);
  return download.GET(request, { params: Promise.resolve({ token }) });
}
const outboxTo = (to: string) => listOutboxMessages(database.db, { workspaceId: world.workspaceId, filter: { to }, limit: 10 });

describe("exports through the engine", () => {
  it("a workspace export: requested → running → ready with progress → emailed link → a valid zip with the right rows", async () => {
    const requested = await post({ subject: "workspace", notifyEmail: "Owner@Example.com" });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ subject: "workspace", status: "queued", rowsDone: 0, downloadUrl: null, notifyEmail: "owner@example.com" });

    const done = await finished(requested.body.id);
    const total = Object.values(world.workspaceRows).reduce((a, b) => a + b, 0);
    expect(done.body).toMatchObject({ status: "ready", rowsDone: total, rowsTotal: total, progress: 1, error: null });
    expect(done.body.bytes).toBeGreaterThan(0);
    expect(done.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(done.body.expiresAt).getTime() - new Date(done.body.finishedAt).getTime()).toBe(72 * 3_600_000);
    // What the route answers is exactly what the OpenAPI document describes: nothing dropped.
    expect(exportsApi.create.responses[202].schema.parse(requested.body)).toEqual(requested.body);
    expect(exportsApi.get.responses[200].schema.parse(done.body)).toEqual(done.body);
    expect(done.body.downloadUrl).toMatch(/\/api\/public\/exports\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const response = await fetchLink(done.body.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="sendline-workspace-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    const zip = await readExportZip(response.body as unknown as AsyncIterable<Uint8Array>);
    expect(zip.problems).toEqual([]);
    for (const [file, rows] of Object.entries(world.workspaceRows)) {
      expect(zip.files.find((entry) => entry.name === `${file}.jsonl`)?.rows, file).toBe(rows);
      expect(zip.files.find((entry) => entry.name === `${file}.csv`)?.rows, file).toBe(rows);
    }

    // The email, through the notification path into the outbox, carries the same kind of link.
    const [email] = await waitFor(() => outboxTo("owner@example.com"), (rows) => rows.length > 0);
    expect(email!.subject).toBe("Your Sendline workspace export is ready");
    const link = /href="([^"]+\/api\/public\/exports\/[^"]+)"/.exec(email!.html ?? "")?.[1];
    expect(link).toBeDefined();
    expect((await fetchLink(link!.replaceAll("&amp;", "&"))).status).toBe(200);

    // The run finished (not merely the row): the email step and its event came after the zip.
    const [run] = (await app.engine.listRuns({ fnId: "sendline-build-export" })).filter((row) => (row.event as { data?: { exportId?: string } }).data?.exportId === requested.body.id);
    expect(run?.status).toBe("completed");
  });

  it("a contact export holds their data; the link is refused once expired, and when altered", async () => {
    const requested = await post({ subject: "contact", contactId: world.alice });
    expect(requested.status).toBe(202);
    const done = await finished(requested.body.id);
    expect(done.body.status).toBe("ready");
    const zip = await readExportZip((await fetchLink(done.body.downloadUrl)).body as unknown as AsyncIterable<Uint8Array>);
    expect(zip.problems).toEqual([]);
    expect(Object.fromEntries(zip.manifest!.files.filter((file) => file.name.endsWith(".jsonl")).map((file) => [file.name.replace(".jsonl", ""), file.rows]))).toEqual({
      ...world.aliceRows,
      // The request itself is audited about the contact.
      audit_entries: world.aliceRows.audit_entries! + 1,
    });

    const tampered = done.body.downloadUrl.replace(/.$/, (last: string) => (last === "A" ? "B" : "A"));
    const refused = await fetchLink(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("This download link is not valid");

    useTestClock(new Date(done.body.expiresAt).getTime() + 1_000);
    const expired = await fetchLink(done.body.downloadUrl);
    expect(expired.status).toBe(410);
    const page = await expired.text();
    expect(page).toContain("This download link has expired");
    expect(page).not.toContain("PK");
    expect((await get(requested.body.id)).body).toMatchObject({ status: "expired", downloadUrl: null });
    vi.useRealTimers();
  });

  it("another workspace's contact, or unknown input, is refused before anything is queued", async () => {
    expect((await post({ subject: "contact", contactId: world.otherContact })).status).toBe(404);
    expect((await post({ subject: "contact", contactId: world.carol })).status).toBe(404);
    const bad = await post({ subject: "contact", notifyEmail: "not-an-email", extra: 1 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.fields ?? bad.body.error?.fields ?? {})).toEqual(expect.arrayContaining(["contactId", "notifyEmail"]));
    expect((await post({ subject: "everything" })).status).toBe(400);
    const mine = await post({ subject: "workspace" });
    expect((await get(mine.body.id, world.otherApiKey)).status).toBe(404);
    const list = await callRoute(routes.GET, { path: "/api/v1/exports?limit=2", apiKey: world.apiKey });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    expect(list.body.nextCursor).toEqual(expect.any(String));
    expect(exportsApi.list.responses[200].schema.parse(list.body)).toEqual(list.body);
    const next = await callRoute(routes.GET, { path: `/api/v1/exports?limit=2&cursor=${list.body.nextCursor}`, apiKey: world.apiKey });
    expect(next.body.data.map((row: { id: string }) => row.id)).not.toContain(list.body.data[0].id);
    expect((await callRoute(routes.GET, { path: "/api/v1/exports?status=done", apiKey: world.apiKey })).status).toBe(400);
    await finished(mine.body.id);
  });

  it("an export that cannot be built is marked failed with a reason in words, and the requester is told", async () => {
    // Recorded before the contact's erasure was requested, built after.
    const row = await insertDataExport(database.db, { workspaceId: world.workspaceId, subject: "contact", contactId: world.carol, notifyEmail: "dpo@example.com", requestedBy: "test", createdAt: new Date() });
    await inngestClient.inngest.send(exportEvent.exportRequestedEvent({ workspaceId: world.workspaceId, exportId: row.id }));
    const failed = await finished(row.id);
    expect(failed.body).toMatchObject({ status: "failed", downloadUrl: null, error: "The export could not be built: the contact no longer exists, or its erasure was requested" });
    const [email] = await waitFor(() => outboxTo("dpo@example.com"), (rows) => rows.length > 0);
    expect(email!.subject).toBe("Your Sendline contact data export failed");
    expect(email!.html).toContain("the contact no longer exists, or its erasure was requested");
  });
});
