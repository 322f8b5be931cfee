import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "./rows-of";

/**
 * The rows a campaign archive moves, table by table. Each row travels as PostgreSQL's own
 * `to_jsonb(row)` text and comes back through `jsonb_populate_recordset(null::table, …)`, so every
 * column (timestamps to the microsecond, bigint ids, jsonb, enums, columns added later) round-trips
 * exactly without a JavaScript type in between.
 *
 * Order matters: files are written in this order, rows are restored in this order (parents before
 * the rows that point at them) and deleted in the reverse order (messages last, because the other
 * tables' selections are "rows of the campaign's messages").
 */
export const ARCHIVED_TABLES = ["messages", "message_attempts", "outbox_messages", "campaign_recipients", "engagement_events"] as const;
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number];

type Scope = { workspaceId: string; campaignId: string };

type TableSpec = {
  /** The keyset column: unique within the selection, indexed, walked in ascending order. */
  key: string;
  keyType: "uuid" | "bigint";
  /** The campaign's rows of this table (`t` is the table's alias). */
  where: (scope: Scope) => SQL;
};

const campaignMessages = (scope: Scope) =>
  sql`select m.id from messages m where m.workspace_id = ${scope.workspaceId}::uuid and m.campaign_id = ${scope.campaignId}::uuid`;

const SPECS: Record<ArchivedTable, TableSpec> = {
  messages: { key: "id", keyType: "uuid", where: (s) => sql`t.workspace_id = ${s.workspaceId}::uuid and t.campaign_id = ${s.campaignId}::uuid` },
  message_attempts: { key: "id", keyType: "bigint", where: (s) => sql`t.workspace_id = ${s.workspaceId}::uuid and t.message_id in (${campaignMessages(s)})` },
  outbox_messages: {
    key: "id",
    keyType: "uuid",
    where: (s) => sql`t.workspace_id = ${s.workspaceId}::uuid and (t.campaign_id = ${s.campaignId}::uuid or t.message_id in (${campaignMessages(s)}))`,
  },
  // No workspace column: the campaign's ownership is checked before anything is read.
  campaign_recipients: { key: "contact_id", keyType: "uuid", where: (s) => sql`t.campaign_id = ${s.campaignId}::uuid` },
  engagement_events: {
    key: "id",
    keyType: "bigint",
    where: (s) => sql`t.workspace_id = ${s.workspaceId}::uuid and (t.campaign_id = ${s.campaignId}::uuid or t.message_id in (${campaignMessages(s)}))`,
  },
};

const keyValue = (spec: TableSpec, value: string) => (spec.keyType === "uuid" ? sql`${value}::uuid` : sql`${value}::bigint`);
const ident = (name: string) => sql.raw(`"${name}"`);

export type ArchivedRowChunk = { lines: string[]; firstKey: string | null; lastKey: string | null };

/**
 * The next `limit` rows of the table's selection after `afterKey`, each as one line of JSON
 * (keys are the column names).
 */
export async function readArchivedRowChunk(db: Db, params: Scope & { table: ArchivedTable; afterKey: string | null; limit: number }): Promise<ArchivedRowChunk> {
  const spec = SPECS[params.table];
  const key = sql.raw(`t.${spec.key}`);
  const result = await db.execute(sql`
    select ${key}::text as k, to_jsonb(t)::text as j
    from ${ident(params.table)} t
    where ${spec.where(params)} ${params.afterKey === null ? sql`` : sql`and ${key} > ${keyValue(spec, params.afterKey)}`}
    order by ${key}
    limit ${params.limit}`);
  const rows = rowsOf<{ k: string; j: string }>(result);
  return { lines: rows.map((row) => row.j), firstKey: rows[0]?.k ?? null, lastKey: rows.at(-1)?.k ?? null };
}

/** How many of the campaign's rows the table holds up to `upToKey` (null: none were archived). */
export async function countArchivedRows(db: Db, params: Scope & { table: ArchivedTable; upToKey: string | null }): Promise<number> {
  if (params.upToKey === null) return 0;
  const spec = SPECS[params.table];
  const key = sql.raw(`t.${spec.key}`);
  const result = await db.execute(sql`
    select count(*)::int as n from ${ident(params.table)} t
    where ${spec.where(params)} and ${key} <= ${keyValue(spec, params.upToKey)}`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** Every row of the campaign in the table, as JSON lines in key order: what the round-trip tests compare. */
export async function readAllArchivedRows(db: Db, params: Scope & { table: ArchivedTable }): Promise<string[]> {
  const spec = SPECS[params.table];
  const key = sql.raw(`t.${spec.key}`);
  const result = await db.execute(sql`select to_jsonb(t)::text as j from ${ident(params.table)} t where ${spec.where(params)} order by ${key}`);
  return rowsOf<{ j: string }>(result).map((row) => row.j);
}

/** The keyset values of rows given as archived JSON lines, in order, as readArchivedRowChunk spells them. */
export async function keysOfArchivedLines(db: Db, params: { table: ArchivedTable; lines: string[] }): Promise<string[]> {
  if (params.lines.length === 0) return [];
  const spec = SPECS[params.table];
  const result = await db.execute(sql`
    select (jsonb_populate_record(null::${ident(params.table)}, x.e)).${ident(spec.key)}::text as k
    from jsonb_array_elements(${`[${params.lines.join(",")}]`}::jsonb) with ordinality as x(e, n)
    order by x.n`);
  return rowsOf<{ k: string }>(result).map((row) => row.k);
}

/** Rows move only while their archive is in the state that moves them: a late duplicate step (a crashed run's execution still going) does nothing once the archive moved on. */
const archiveIs = (archiveId: string, status: "archiving" | "restoring") =>
  sql`exists (select 1 from campaign_archives a where a.id = ${archiveId}::uuid and a.status = ${status})`;

/**
 * Deletes up to `limit` of the campaign's archived rows (keys ≤ `upToKey`, the last one the
 * archive holds): a row that arrived after the files were written (a very late event) is never
 * deleted unarchived. Only while the archive is `archiving`: a duplicate step running late never
 * deletes rows a restore has put back. Returns how many went; 0 means the table is done.
 */
export async function deleteArchivedRowChunk(db: Db, params: Scope & { archiveId: string; table: ArchivedTable; upToKey: string; limit: number }): Promise<number> {
  const spec = SPECS[params.table];
  const key = sql.raw(`t.${spec.key}`);
  const bare = sql.raw(spec.key);
  const scopeOfDelete = params.table === "campaign_recipients" ? sql`campaign_id = ${params.campaignId}::uuid and ` : sql``;
  const result = await db.execute(sql`
    delete from ${ident(params.table)}
    where ${scopeOfDelete}${bare} in (
      select ${key} from ${ident(params.table)} t
      where ${spec.where(params)} and ${key} <= ${keyValue(spec, params.upToKey)} and ${archiveIs(params.archiveId, "archiving")}
      order by ${key}
      limit ${params.limit})
    returning 1`);
  return rowsOf(result).length;
}

/**
 * Puts archived rows back exactly as they were. A row already present (a re-run of the same
 * step) is skipped, not duplicated. The one exception to "exactly": a message whose contact or
 * template was deleted since gets null there, which is what the foreign key's `on delete set null`
 * would have done to it had it stayed. Only while the archive is `restoring`: a duplicate step
 * running late never brings back rows a new archive has taken away. Returns the rows inserted.
 */
export async function insertArchivedRows(db: Db, params: { archiveId: string; table: ArchivedTable; lines: string[] }): Promise<number> {
  if (params.lines.length === 0) return 0;
  const json = `[${params.lines.join(",")}]`;
  const table = ident(params.table);
  const source =
    params.table === "messages"
      ? sql`(select case when e->>'contact_id' is not null and not exists (select 1 from contacts c where c.id = (e->>'contact_id')::uuid)
                  then jsonb_set(e, '{contact_id}', 'null') else e end as e
             from (select case when e->>'template_id' is not null and not exists (select 1 from templates p where p.id = (e->>'template_id')::uuid)
                          then jsonb_set(e, '{template_id}', 'null') else e end as e
                   from jsonb_array_elements(${json}::jsonb) e) fixed)`
      : sql`(select e from jsonb_array_elements(${json}::jsonb) e)`;
  const result = await db.execute(sql`
    insert into ${table}
    select r.* from ${source} s cross join lateral jsonb_populate_record(null::${table}, s.e) r
    where ${archiveIs(params.archiveId, "restoring")}
    on conflict do nothing
    returning 1`);
  return rowsOf(result).length;
}
