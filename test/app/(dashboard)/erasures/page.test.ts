import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { upsertContactByEmail } from "@/db/queries/contacts";
import { finishErasure, claimErasure, markErasureWaiting, requestContactErasure, requestWorkspaceErasure, restoreErasure } from "@/db/queries/erasures";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

// Outside a request: no cookie jar (the oldest workspace is shown) and no mounted app router.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), useRouter: () => ({ refresh: () => {} }) }));

const HOUR = 3_600_000;
let database: Database;
let workspaceId: string;

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Erasures page" }));
});
afterAll(async () => {
  await database.close();
});

const props = (query: Record<string, string> = {}) => ({ searchParams: Promise.resolve(query), params: Promise.resolve({ id: "" }) });

async function contact(email: string) {
  const written = await upsertContactByEmail(database.db, { workspaceId, changes: { email } });
  if (!written.ok) throw new Error("not written");
  return written.contact.id;
}

describe("/erasures", () => {
  it("lists open and finished erasures with status, window end and counts; only open ones offer Restore and a recovery email", async () => {
    const { default: ErasuresPage } = await import("@/app/(dashboard)/erasures/page");
    const at = new Date();
    const open = (await requestContactErasure(database.db, { workspaceId, contactId: await contact("open@example.com"), requestedBy: "dashboard", at, eraseAfter: new Date(at.getTime() + 24 * HOUR) }))!.erasure;
    const done = (await requestContactErasure(database.db, { workspaceId, contactId: await contact("done@example.com"), requestedBy: "api_key:k", at: new Date(at.getTime() - 30 * HOUR), eraseAfter: new Date(at.getTime() - 6 * HOUR) }))!.erasure;
    await markErasureWaiting(database.db, { workspaceId, erasureId: done.id, at });
    await claimErasure(database.db, { workspaceId, erasureId: done.id });
    await finishErasure(database.db, { erasureId: done.id, at, counts: { messages: 3, contacts: 1, digests: 0 } });
    const undone = (await requestContactErasure(database.db, { workspaceId, contactId: await contact("undone@example.com"), requestedBy: "dashboard", at, eraseAfter: new Date(at.getTime() + 24 * HOUR) }))!.erasure;
    await restoreErasure(database.db, { workspaceId, erasureId: undone.id, at, restoredBy: "test" });

    const html = renderToStaticMarkup(await ErasuresPage(props()));
    const row = (id: string) => html.slice(html.indexOf(`data-erasure="${id}"`), html.indexOf("</tr>", html.indexOf(`data-erasure="${id}"`)));
    expect(row(open.id)).toContain("pending");
    expect(row(open.id)).toContain(">Restore<");
    expect(row(open.id)).toContain(">Send recovery email<");
    expect(row(done.id)).toContain("erased");
    expect(row(done.id)).toContain("contacts 1 · messages 3");
    expect(row(done.id)).not.toContain(">Restore<");
    expect(row(undone.id)).toContain("restored");
    expect(row(undone.id)).toContain("Open contact");
    expect(html).not.toContain("scheduled for erasure");

    const filtered = renderToStaticMarkup(await ErasuresPage(props({ status: "erased" })));
    expect(filtered).toContain(`data-erasure="${done.id}"`);
    expect(filtered).not.toContain(`data-erasure="${open.id}"`);
  });

  it("a contact's page has the Erase button; a hidden contact's page is not found", async () => {
    const { default: ContactPage } = await import("@/app/(dashboard)/contacts/[id]/page");
    const id = await contact("visible@example.com");
    const html = renderToStaticMarkup(await ContactPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) }));
    expect(html).toContain(">Erase<");
    expect(html).toContain('name="kind" value="erase"');
    const at = new Date();
    await requestContactErasure(database.db, { workspaceId, contactId: id, requestedBy: "dashboard", at, eraseAfter: new Date(at.getTime() + HOUR) });
    await expect(ContactPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) })).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
  });

  it("shows a workspace scheduled for erasure with its Restore button", async () => {
    const { default: ErasuresPage } = await import("@/app/(dashboard)/erasures/page");
    const at = new Date();
    await requestWorkspaceErasure(database.db, { workspaceId, requestedBy: "api_key:k", at, eraseAfter: new Date(at.getTime() + 24 * HOUR) });
    const html = renderToStaticMarkup(await ErasuresPage(props()));
    expect(html).toContain("This workspace is scheduled for erasure");
    expect(html).toContain(">Restore this workspace<");
  });
});
