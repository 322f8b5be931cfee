import { Worker } from "node:worker_threads";
import type { Sql } from "./sql";

type Answer = { id: number; rows?: unknown[]; error?: { message: string } & Record<string, unknown> };

/**
 * The engine's embedded PGlite on a thread of its own. PGlite is PostgreSQL compiled to
 * WebAssembly and runs on whichever thread calls it: in the engine's thread every statement
 * stopped the scheduler, the HTTP server and, in tests and benchmarks, the app itself. On its
 * own thread it works on the second core while the engine goes on, as a PostgreSQL server would
 * (bench:engine, PGlite, one-step runs: see DESIGN.md "Where performance stands").
 *
 * PGlite has one connection: statements are sent one after another through a promise chain,
 * and a transaction holds the chain from BEGIN to COMMIT so no other statement interleaves.
 */
export async function openPgliteThread(dir: string, schema: string): Promise<Sql> {
  const worker = new Worker(new URL("./pglite-thread.mjs", import.meta.url), { workerData: { dir } });
  const waiting = new Map<number, { resolve(rows: unknown[]): void; reject(err: Error): void }>();
  let nextId = 0;
  let failure: Error | undefined;
  // Referenced only while a statement is out: an idle engine's database never keeps a process alive.
  worker.unref();
  worker.on("message", ({ id, rows, error }: Answer) => {
    const pending = waiting.get(id)!;
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    if (error) pending.reject(Object.assign(new Error(error.message), error));
    else pending.resolve(rows ?? []);
  });
  const fail = (err: Error) => {
    failure = err;
    for (const pending of waiting.values()) pending.reject(err);
    waiting.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the embedded database's thread exited (code ${code})`)));

  const send = (op: "query" | "exec" | "close", text = "", params: unknown[] = []) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, op, text, params });
    });

  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const make = (inTx: boolean): Sql => ({
    query: <T>(text: string, params: unknown[] = []) => (inTx ? send("query", text, params) : serial(() => send("query", text, params))) as Promise<T[]>,
    tx: <T>(fn: (q: Sql) => Promise<T>) => {
      if (inTx) return fn(make(true));
      return serial(async () => {
        await send("exec", "BEGIN");
        try {
          const result = await fn(make(true));
          await send("exec", "COMMIT");
          return result;
        } catch (err) {
          await send("exec", "ROLLBACK").catch(() => {});
          throw err;
        }
      });
    },
    close: async () => {
      await serial(() => send("close")).catch(() => {});
      await worker.terminate();
    },
  });
  await send("exec", `CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  return make(false);
}
