import type { Transaction } from "@electric-sql/pglite";
import type { Sql, TransactionSql } from "postgres";
import type { Database } from "@/db";
import { type StageColumn, type StageValue, stagedRowsCsv, stagedRowsJson } from "./staged-rows";

/**
 * The two driver adapters an import chunk runs on: its statements are plain SQL text (named in
 * db/queries/import-chunks.ts), and this file gives them one transaction, bulk loads and
 * savepoints on in-process PGlite and on postgres.js alike.
 */

/** What a chunk needs of its transaction, on whichever driver the database uses. */
export interface ChunkSql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Loads rows into a table: COPY where the driver can stream it, one JSON parameter otherwise. */
  load(table: string, columns: readonly StageColumn[], rows: StageValue[][]): Promise<void>;
  /**
   * Runs `work` in a savepoint: when it throws, only its statements are rolled back and the
   * transaction goes on. (postgres.js fails the whole transaction on any error seen by its own
   * handle, caught or not, so a savepoint there must go through its own scope.)
   */
  savepoint<T>(work: (tx: ChunkSql) => Promise<T>): Promise<T>;
}

const columnList = (columns: readonly StageColumn[]) => columns.map((column) => column.name).join(", ");

function pgliteChunkSql(tx: Transaction): ChunkSql {
  let savepoints = 0;
  const chunkSql: ChunkSql = {
    query: async <R>(text: string, params: unknown[] = []) => (await tx.query<R>(text, params)).rows,
    load: async (table, columns, rows) => {
      if (rows.length === 0) return;
      const csv = stagedRowsCsv(columns, rows);
      await tx.query(`COPY ${table} (${columnList(columns)}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
    },
    savepoint: async (work) => {
      const name = `chunk_savepoint_${++savepoints}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(chunkSql);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
  };
  return chunkSql;
}

/**
 * Rejects with the server's error when it refuses a COPY … FROM STDIN. postgres.js 3.4.9 loses
 * that error once the data has been ended (porsager/postgres#1173): the writable never
 * finishes and nothing rejects, so a refused value would hang the chunk (and the savepoint
 * that lets it cost only its row would never roll back). The error still reaches the query's
 * own reject, which is where this listens. The refused-rows test on PostgreSQL covers it.
 */
function copyRefusal(copy: object): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    const query = copy as { reject?: (error: unknown) => void };
    const settle = query.reject;
    if (typeof settle !== "function") return;
    query.reject = (error) => {
      settle.call(query, error);
      reject(error);
    };
  });
}

function postgresChunkSql(tx: TransactionSql, useCopy: boolean): ChunkSql {
  return {
    query: async <R>(text: string, params: unknown[] = []) => (await tx.unsafe(text, params as never[])) as unknown as R[],
    load: async (table, columns, rows) => {
      if (rows.length === 0) return;
      if (useCopy) {
        const csv = stagedRowsCsv(columns, rows);
        const copy = tx.unsafe(`COPY ${table} (${columnList(columns)}) FROM STDIN WITH (FORMAT csv)`);
        const refused = copyRefusal(copy);
        // When the COPY itself fails to start, writable() rejects with the same error.
        refused.catch(() => {});
        const writable = await copy.writable();
        await Promise.race([
          refused,
          new Promise<void>((resolve, reject) => {
            writable.on("error", reject);
            writable.on("finish", resolve);
            writable.end(csv);
          }),
        ]);
        return;
      }
      const names = columnList(columns);
      await tx.unsafe(`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(null::${table}, $1::json)`, [stagedRowsJson(columns, rows)]);
    },
    savepoint: async <T>(work: (tx: ChunkSql) => Promise<T>) => (await tx.savepoint((inner) => work(postgresChunkSql(inner, useCopy)))) as T,
  };
}

/**
 * Runs `work` in one transaction. Staging loads use COPY: on PostgreSQL through postgres.js's
 * `COPY … FROM STDIN` writable stream; on in-process PGlite through `COPY … FROM '/dev/blob'`
 * with the CSV handed over as a Blob. The PGlite wire server (npm run dev) cannot relay the
 * COPY sub-protocol, so there the rows go as one json parameter instead. Either way the rows
 * are typed values, encoded for their path by staged-rows.ts.
 */
export async function inChunkTransaction<T>(database: Database, work: (tx: ChunkSql) => Promise<T>): Promise<T> {
  if (database.kind === "pglite" && database.pglite) return database.pglite.transaction((tx) => work(pgliteChunkSql(tx)));
  const client = (database.db as unknown as { $client: Sql }).$client;
  return (await client.begin((tx) => work(postgresChunkSql(tx, database.kind === "postgres")))) as T;
}

