// The embedded database's own thread (see openPgliteThread in pglite-thread-client.ts).
// Plain JavaScript because a worker thread is started by Node itself, under tsx, vitest or
// plain node alike, none of which transforms TypeScript for it.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

const { dir } = workerData;
const db = new PGlite(dir);

/** What crosses the thread boundary of a database error: its words and PostgreSQL's fields. */
function plainError(err) {
  const { message, code, detail, hint, constraint, table, column, severity } = err ?? {};
  return { message: String(message ?? err), code, detail, hint, constraint, table, column, severity };
}

// One message at a time, in order: the client never sends a statement before the previous
// answer, except `exec` at start, so order alone keeps a transaction's statements together.
parentPort.on("message", async ({ id, op, text, params }) => {
  try {
    if (op === "close") {
      await db.close();
      parentPort.postMessage({ id, rows: [] });
      return;
    }
    const result = op === "exec" ? await db.exec(text) : await db.query(text, params);
    parentPort.postMessage({ id, rows: op === "exec" ? [] : result.rows });
  } catch (err) {
    parentPort.postMessage({ id, error: plainError(err) });
  }
});
