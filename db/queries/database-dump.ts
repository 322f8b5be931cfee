import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { rowsOf } from "./rows-of";

/**
 * Generic SQL over the app's own tables (schema `public`; the local engine's `inngest_engine`
 * and drizzle's bookkeeping are not the app's data), for logical backups and their restore.
 * Rows travel as `row_to_json` text, which renders every type by its output function (uuids,
 * timestamps in UTC, numerics exactly, bytea as hex, jsonb normalised), and come back through
 * `jsonb_populate_recordset`, which parses them with the columns' input functions: a round
 * trip gives the same values, and dumping the restored table gives the same bytes.
 */
export const APP_SCHEMA = "public";

export type TableShape = {
  name: string;
  /** Insertable columns, in table order (generated columns are left out: the database computes them). */
  columns: string[];
  /** Primary key columns and their SQL types; empty for a table keyed only by a unique constraint. */
  key: { name: string; type: string }[];
  /** Every column, in table order, for a key-less table's total order. */
  allColumns: string[];
  /** Tables this one references (foreign keys), itself excluded. */
  references: string[];
};

/** Every table of the app's schema with its columns, key and foreign keys, in name order. */
export async function listAppTables(db: Db): Promise<TableShape[]> {
  const tables = rowsOf<{ name: string; columns: string[]; generated: string[]; key_names: string[] | null; key_types: string[] | null; references: string[] | null }>(
    await db.execute(sql`
      select c.relname as name,
        array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
        array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated <> '' order by a.attnum) as generated,
        (select array_agg(a.attname::text order by k.ord) from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum where i.indrelid = c.oid and i.indisprimary) as key_names,
        (select array_agg(format_type(a.atttypid, a.atttypmod) order by k.ord) from pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
           join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum where i.indrelid = c.oid and i.indisprimary) as key_types,
        (select array_agg(distinct r.relname::text) from pg_constraint f join pg_class r on r.oid = f.confrelid
           where f.conrelid = c.oid and f.contype = 'f' and f.confrelid <> c.oid) as references
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${APP_SCHEMA} and c.relkind in ('r', 'p') and not c.relispartition
      order by c.relname`),
  );
  return tables.map((table) => ({
    name: table.name,
    columns: table.columns.filter((column) => !table.generated.includes(column)),
    allColumns: table.columns,
    key: (table.key_names ?? []).map((name, n) => ({ name, type: table.key_types![n]! })),
    references: table.references ?? [],
  }));
}

const tableRef = (name: string) => sql`${sql.identifier(APP_SCHEMA)}.${sql.identifier(name)}`;
const columnList = (names: readonly string[]) => sql.join(names.map((name) => sql.identifier(name)), sql`, `);

/**
 * Opens the backup's snapshot: call first inside a REPEATABLE READ transaction. Timestamps
 * render in UTC whatever the server's zone, so the same rows always give the same bytes.
 */
export async function pinDumpSession(tx: Db): Promise<void> {
  await tx.execute(sql`set local timezone = 'UTC'`);
  await tx.execute(sql`set local extra_float_digits = 1`);
}

export type DumpBatch = { lines: string[]; last: string[] | null };

/**
 * The next batch of a table's rows as JSON lines, in primary key order after `after` (the
 * previous batch's last key, as text). Index-ordered keyset reads: each batch costs its rows.
 * A table with no primary key (the engagement rollups, unique on nullable columns) is read in
 * its unique order by offset: small tables, and the snapshot keeps the pages stable.
 */
export async function readDumpBatch(tx: Db, table: TableShape, after: string[] | null, offset: number, limit: number): Promise<DumpBatch> {
  if (table.key.length === 0) {
    const order = sql.join(table.allColumns.map((name) => sql`${sql.identifier(name)} nulls first`), sql`, `);
    const rows = rowsOf<{ line: string }>(await tx.execute(sql`select row_to_json(t)::text as line from ${tableRef(table.name)} t order by ${order} offset ${offset} limit ${limit}`));
    return { lines: rows.map((row) => row.line), last: null };
  }
  const keyColumns = columnList(table.key.map((column) => column.name));
  const keyText = sql.join(table.key.map((column, n) => sql`t.${sql.identifier(column.name)}::text as ${sql.identifier(`k${n}`)}`), sql`, `);
  let where: SQL = sql``;
  if (after) {
    const bound = sql.join(table.key.map((column, n) => sql`${after[n]}::${sql.raw(column.type)}`), sql`, `);
    where = sql`where (${keyColumns}) > (${bound})`;
  }
  const rows = rowsOf<Record<string, string>>(
    await tx.execute(sql`select row_to_json(t)::text as line, ${keyText} from ${tableRef(table.name)} t ${where} order by ${keyColumns} limit ${limit}`),
  );
  const lastRow = rows.at(-1);
  return { lines: rows.map((row) => row.line!), last: lastRow ? table.key.map((_, n) => lastRow[`k${n}`]!) : after };
}

/** Inserts rows given as JSON objects (lines of a dump) into a table, explicit ids and all. */
export async function loadDumpRows(tx: Db, table: TableShape, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  const columns = columnList(table.columns);
  // OVERRIDING SYSTEM VALUE: identity columns take the backup's values, like serial ones do.
  await tx.execute(
    sql`insert into ${tableRef(table.name)} (${columns}) overriding system value select ${columns} from jsonb_populate_recordset(null::${tableRef(table.name)}, ${`[${lines.join(",")}]`}::jsonb)`,
  );
}

/** Moves every sequence owned by an app table's column (audit_log's bigserial, …) past the largest value restored. */
export async function resetOwnedSequences(tx: Db): Promise<number> {
  const owned = rowsOf<{ table_name: string; column_name: string; sequence: string }>(
    await tx.execute(sql`
      select t.relname as table_name, a.attname as column_name, s.oid::regclass::text as sequence
      from pg_class s join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
        join pg_class t on t.oid = d.refobjid join pg_namespace n on n.oid = t.relnamespace
        join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where s.relkind = 'S' and n.nspname = ${APP_SCHEMA}`),
  );
  for (const { table_name, column_name, sequence } of owned) {
    // is_called = false on an empty table: the next value is the sequence's start, as in a new database.
    await tx.execute(
      sql`select setval(${sequence}::regclass, coalesce((select max(${sql.identifier(column_name)}) from ${tableRef(table_name)}), 1), (select count(*) > 0 from ${tableRef(table_name)}))`,
    );
  }
  return owned.length;
}

/** App tables that hold at least one row (a restore only goes into a database with none). */
export async function nonEmptyAppTables(db: Db): Promise<string[]> {
  const tables = await listAppTables(db);
  const found: string[] = [];
  for (const table of tables) {
    const [row] = rowsOf<{ present: boolean }>(await db.execute(sql`select exists (select 1 from ${tableRef(table.name)}) as present`));
    if (row?.present) found.push(table.name);
  }
  return found;
}
