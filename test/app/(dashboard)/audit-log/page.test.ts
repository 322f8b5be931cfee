import { sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db";
import { insertAuditEntry } from "@/db/queries/audit-log";
import { encodeAuditCursor } from "@/lib/api/contracts/audit-log";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { useTestDatabase } from "@/test/support/database";

// Outside a request: no cookie jar (the oldest workspace is shown).
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined }) }));

let database: Database;
let workspaceId: string;
const ids: number[] = [];

beforeAll(async () => {
  database = await useTestDatabase();
  ({ workspace: { id: workspaceId } } = await createWorkspace(database.db, { name: "Audited" }));
  for (let n = 0; n < 3; n += 1) {
    await insertAuditEntry(database.db, { workspaceId, actor: n ? "dashboard" : "api_key:k1", action: n === 2 ? "campaign.paused" : "contact.updated", targetType: "contact", targetId: `c-${n}`, details: { field: "email" } });
  }
  const rows = await database.db.execute(sql`select id from audit_log where workspace_id = ${workspaceId} order by id`);
  ids.push(...(Array.isArray(rows) ? rows : (rows as { rows: { id: number }[] }).rows).map((row: { id: number | string }) => Number(row.id)));
});
afterAll(async () => {
  await database.close();
});

const render = async (query: Record<string, string> = {}) => {
  const { default: AuditLogPage } = await import("@/app/(dashboard)/audit-log/page");
  return renderToStaticMarkup(await AuditLogPage({ searchParams: Promise.resolve(query) }));
};

describe("/audit-log", () => {
  it("lists the workspace's entries newest first with the chain verified", async () => {
    const html = await render();
    expect(html).toContain("Chain verified:</strong> 4 entries");
    expect(html.indexOf("c-2")).toBeLessThan(html.indexOf("c-1"));
    expect(html).toContain("campaign.paused");
    expect(html).toContain("{&quot;field&quot;:&quot;email&quot;}");
  });

  it("filters by action and actor, and pages with a cursor", async () => {
    const byAction = await render({ action: "campaign.paused" });
    expect(byAction).toContain("c-2");
    expect(byAction).not.toContain("c-1");
    const byActor = await render({ actor: "api_key:k1" });
    expect(byActor).toContain("c-0");
    expect(byActor).not.toContain("c-2");
    const older = await render({ cursor: encodeAuditCursor(ids.at(-1)!) });
    expect(older).toContain("c-1");
    expect(older).not.toContain("campaign.paused");
    expect(await render({ from: "2000-01-01", to: "2000-01-02" })).toContain("No audit entries match this filter.");
  });

  it("says where the chain broke after an entry is edited", async () => {
    await database.db.execute(sql`update audit_log set actor = 'someone' where id = ${ids[2]!}`);
    const html = await render();
    expect(html).toContain(`Chain broken</strong> at entry #${ids[2]}: its content no longer matches its hash`);
  });
});
