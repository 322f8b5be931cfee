import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { completeDataExport, failDataExport, insertDataExport, listDataExports, startDataExport } from "@/db/queries/data-exports";
import { requestExportFromDashboard } from "@/app/(dashboard)/_lib/request-export";
import { useTestDatabase } from "@/test/support/database";
import { type ExportWorld, seedExportWorld } from "@/test/lib/exports/export-fixtures";

// Outside a request: no cookie jar (the oldest workspace is shown) and no mounted app router.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

let database: Database;
let world: ExportWorld;

beforeAll(async () => {
  database = await useTestDatabase();
  world = await seedExportWorld(database.db, "Page");
});
afterAll(() => database.close());

const props = () => ({ searchParams: Promise.resolve({ workspace: world.workspaceId }) });
const render = async () => {
  const { default: ExportsPage } = await import("@/app/(dashboard)/exports/page");
  return renderToStaticMarkup(await ExportsPage(props()));
};

describe("/exports", () => {
  it("offers a workspace or a contact export and says how long links work", async () => {
    const html = await render();
    expect(html).toContain("What to export");
    expect(html).toContain('value="workspace"');
    expect(html).toContain('value="contact"');
    expect(html).toContain("Download links work for 72 hours");
    expect(html).toContain("No exports yet.");
  });

  it("the Export button records an export by the contact's email, and refuses an unknown contact or a bad address in words", async () => {
    const sent: string[] = [];
    const send = async (ids: { exportId: string }) => void sent.push(ids.exportId);
    const ok = await requestExportFromDashboard(database.db, { workspaceId: world.workspaceId, subject: "contact", contact: "ALICE@example.com", notifyEmail: "dpo@example.com", send });
    expect(ok).toEqual({ ok: true, message: "Export requested: it appears below with its progress. An email goes to dpo@example.com when it is ready." });
    const [row] = await listDataExports(database.db, { workspaceId: world.workspaceId, limit: 1 });
    expect(row).toMatchObject({ subject: "contact", contactId: world.alice, requestedBy: "dashboard", status: "queued" });
    expect(sent).toEqual([row!.id]);

    expect(await requestExportFromDashboard(database.db, { workspaceId: world.workspaceId, subject: "contact", contact: "carol@example.com", notifyEmail: "", send })).toEqual({
      ok: false,
      message: "No contact carol@example.com in this workspace (or its erasure was requested).",
    });
    expect(await requestExportFromDashboard(database.db, { workspaceId: world.workspaceId, subject: "contact", contact: world.otherContact, notifyEmail: "", send })).toMatchObject({ ok: false });
    expect(await requestExportFromDashboard(database.db, { workspaceId: world.workspaceId, subject: "workspace", contact: "", notifyEmail: "nope", send })).toEqual({ ok: false, message: "Cannot export: notifyEmail Invalid email address." });
    expect(sent).toHaveLength(1);
  });

  it("lists exports live with their progress, a download link when ready, and a failure's reason", async () => {
    const base = { workspaceId: world.workspaceId, notifyEmail: null, requestedBy: "api_key:test" };
    const running = await insertDataExport(database.db, { ...base, subject: "workspace", contactId: null, createdAt: new Date(Date.now() - 3000) });
    await startDataExport(database.db, { workspaceId: world.workspaceId, exportId: running.id, rowsTotal: 400 });
    const ready = await insertDataExport(database.db, { ...base, subject: "workspace", contactId: null, createdAt: new Date(Date.now() - 2000) });
    await startDataExport(database.db, { workspaceId: world.workspaceId, exportId: ready.id, rowsTotal: 12 });
    await completeDataExport(database.db, { workspaceId: world.workspaceId, exportId: ready.id, storageKey: `exports/${world.workspaceId}/${ready.id}/zip`, bytes: 2048, sha256: "0".repeat(64), rowsDone: 12, finishedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) });
    const failed = await insertDataExport(database.db, { ...base, subject: "workspace", contactId: null, createdAt: new Date(Date.now() - 1000) });
    await failDataExport(database.db, { workspaceId: world.workspaceId, exportId: failed.id, error: "The export could not be built: File storage is unavailable.", finishedAt: new Date() });

    const html = await render();
    expect(html).toContain('class="live"');
    expect(html).toContain("0 of 400 rows");
    expect(html).toContain("100% · 12 of 12 rows");
    expect(html).toContain("2.0 KB");
    expect(html).toMatch(/href="http:\/\/localhost:3000\/api\/public\/exports\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"[^>]*>Download zip</);
    expect(html).toContain("The export could not be built: File storage is unavailable.");
    expect(html).toContain("Contact alice@example.com");
  });
});
