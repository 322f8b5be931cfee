import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { insertAuditEntries, insertAuditEntry, readChainBatch } from "@/db/queries/audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { REDACTED_AUDIT_DETAILS } from "@/core/audit/audit-chain";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { createTestDatabase } from "@/test/support/database";

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

/** A workspace with `count` entries of its own (creating it writes one more). */
async function workspaceWithEntries(count: number): Promise<{ id: string; ids: number[] }> {
  const { workspace } = await createWorkspace(database.db, { name: "Chained" });
  for (let n = 0; n < count; n += 1) {
    await insertAuditEntry(database.db, { workspaceId: workspace.id, actor: "api_key:test", action: "contact.updated", targetType: "contact", targetId: `c-${n}`, details: { n, at: new Date(0), skipped: undefined } });
  }
  const rows = await readChainBatch(database.db, { workspaceId: workspace.id, afterId: 0, limit: 1000 });
  return { id: workspace.id, ids: rows.map((row) => row.id) };
}

describe("the audit log's hash chain", () => {
  it("links every entry to the one before it in the same workspace, from the first", async () => {
    const { id } = await workspaceWithEntries(5);
    const rows = await readChainBatch(database.db, { workspaceId: id, afterId: 0, limit: 1000 });
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows[0]!.prevHash).toBeNull();
    for (let n = 1; n < rows.length; n += 1) expect(rows[n]!.prevHash).toBe(rows[n - 1]!.hash);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.hash ?? ""))).toBe(true);
    await expect(verifyAuditChain(database.db, id)).resolves.toEqual({ ok: true, checked: rows.length, unchained: 0, redacted: 0, brokenAt: null });
  });

  it("walks a long chain in batches", async () => {
    const { id, ids } = await workspaceWithEntries(12);
    await expect(verifyAuditChain(database.db, id, 5)).resolves.toMatchObject({ ok: true, checked: ids.length });
  });

  it("keeps the global chain (no workspace) apart from the workspaces' chains", async () => {
    await insertAuditEntries(database.db, [
      { workspaceId: null, actor: "system", action: "backup.completed" },
      { workspaceId: null, actor: "system", action: "backup.expired" },
    ]);
    await expect(verifyAuditChain(database.db, null)).resolves.toMatchObject({ ok: true, checked: 2 });
  });

  it("detects an edited entry: its hash no longer matches its content", async () => {
    const { id, ids } = await workspaceWithEntries(4);
    await database.db.execute(sql`update audit_log set details = '{"n": 99}'::jsonb where id = ${ids[2]!}`);
    await expect(verifyAuditChain(database.db, id)).resolves.toEqual({ ok: false, checked: 2, unchained: 0, redacted: 0, brokenAt: { id: ids[2], reason: "hash" } });
  });

  it("stays whole when an erasure redacts details that quoted a person, and counts them; other details still cannot change", async () => {
    const { id, ids } = await workspaceWithEntries(4);
    await database.db.execute(sql`update audit_log set details = ${JSON.stringify(REDACTED_AUDIT_DETAILS)}::jsonb where id = ${ids[2]!}`);
    await expect(verifyAuditChain(database.db, id)).resolves.toEqual({ ok: true, checked: ids.length, unchained: 0, redacted: 1, brokenAt: null });
    // Anything else put in its place is an edit.
    await database.db.execute(sql`update audit_log set details = '{"redacted": "erasure", "n": 2}'::jsonb where id = ${ids[2]!}`);
    await expect(verifyAuditChain(database.db, id)).resolves.toMatchObject({ ok: false, brokenAt: { id: ids[2], reason: "hash" } });
  });

  it("detects an edited entry whose hash was recomputed: the next entry's link breaks", async () => {
    const { id, ids } = await workspaceWithEntries(4);
    await database.db.execute(sql`update audit_log set actor = 'someone-else', hash = repeat('0', 64) where id = ${ids[1]!}`);
    const result = await verifyAuditChain(database.db, id);
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.id).toBe(ids[1]);
  });

  it("detects a removed entry: the one after it points at a hash that is gone", async () => {
    const { id, ids } = await workspaceWithEntries(4);
    await database.db.execute(sql`delete from audit_log where id = ${ids[2]!}`);
    await expect(verifyAuditChain(database.db, id)).resolves.toMatchObject({ ok: false, checked: 2, brokenAt: { id: ids[3], reason: "link" } });
  });

  it("detects the removal of a chain's first entry", async () => {
    const { id, ids } = await workspaceWithEntries(2);
    await database.db.execute(sql`delete from audit_log where id = ${ids[0]!}`);
    await expect(verifyAuditChain(database.db, id)).resolves.toMatchObject({ ok: false, checked: 0, brokenAt: { id: ids[1], reason: "link" } });
  });

  it("detects reordered entries (two entries' contents swapped)", async () => {
    const { id, ids } = await workspaceWithEntries(4);
    const [a, b] = [ids[1]!, ids[2]!];
    await database.db.execute(sql`
      update audit_log t set actor = s.actor, action = s.action, target_type = s.target_type, target_id = s.target_id, details = s.details,
        created_at = s.created_at, prev_hash = s.prev_hash, hash = s.hash
      from audit_log s where (t.id, s.id) in ((${a}, ${b}), (${b}, ${a}))`);
    const result = await verifyAuditChain(database.db, id);
    expect(result).toMatchObject({ ok: false, checked: 1, brokenAt: { id: a, reason: "link" } });
  });

  it("detects an entry written around the app (no hash) inside the chain", async () => {
    const { id } = await workspaceWithEntries(1);
    await database.db.execute(sql`insert into audit_log (workspace_id, actor, action) values (${id}, 'intruder', 'contact.deleted')`);
    await expect(verifyAuditChain(database.db, id)).resolves.toMatchObject({ ok: false, brokenAt: { reason: "unchained" } });
  });

  it("keeps one chain under concurrent writers", async () => {
    const { workspace } = await createWorkspace(database.db, { name: "Busy" });
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        n % 4 === 0
          ? insertAuditEntries(database.db, [
              { workspaceId: workspace.id, actor: "system", action: "bulk.a", details: { n } },
              { workspaceId: null, actor: "system", action: "bulk.global", details: { n } },
              { workspaceId: workspace.id, actor: "system", action: "bulk.b", details: { n } },
            ])
          : insertAuditEntry(database.db, { workspaceId: workspace.id, actor: "system", action: "single", details: { n } }),
      ),
    );
    const rows = await readChainBatch(database.db, { workspaceId: workspace.id, afterId: 0, limit: 1000 });
    expect(rows).toHaveLength(1 + 30 + 10 * 2);
    // One chain: every prev_hash is taken once (no fork), and the walk passes end to end.
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(rows.length);
    await expect(verifyAuditChain(database.db, workspace.id)).resolves.toMatchObject({ ok: true, checked: rows.length });
    await expect(verifyAuditChain(database.db, null)).resolves.toMatchObject({ ok: true });
  });
});
