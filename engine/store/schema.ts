import type { Sql } from "./sql";

// JSON parameters are bound as `$n::text::jsonb`: postgres.js would otherwise JSON-encode the
// already-serialized string a second time.
// Times are epoch milliseconds in double precision: both drivers return them as JS numbers
// (int8 would come back as string/BigInt), and a double holds every millisecond exactly.
// Idempotent DDL: the engine owns this schema and never uses the app's migrations.
const DDL = [
  `CREATE TABLE IF NOT EXISTS apps (url text PRIMARY KEY, app_id text, info jsonb, synced_at double precision, error text)`,
  `CREATE TABLE IF NOT EXISTS functions (id text PRIMARY KEY, app_url text NOT NULL, app_id text, name text,
     config jsonb NOT NULL, updated_at double precision NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS events (id text PRIMARY KEY, user_id text, name text NOT NULL, payload jsonb NOT NULL,
     received_at double precision NOT NULL)`,
  // Events are no longer looked up by user id (runs are de-duplicated per function in the flow table).
  `DROP INDEX IF EXISTS events_user_id`,
  `CREATE INDEX IF NOT EXISTS events_received ON events (received_at)`,
  `CREATE TABLE IF NOT EXISTS runs (id text PRIMARY KEY, fn_id text NOT NULL, status text NOT NULL,
     event jsonb NOT NULL, events jsonb NOT NULL, steps jsonb NOT NULL DEFAULT '{}', stack jsonb NOT NULL DEFAULT '[]',
     step_attempts jsonb NOT NULL DEFAULT '{}', attempt integer NOT NULL DEFAULT 0, parallel boolean NOT NULL DEFAULT false,
     output jsonb, error jsonb, meta jsonb NOT NULL DEFAULT '{}',
     created_at double precision NOT NULL, started_at double precision, ended_at double precision, replay_of text)`,
  `CREATE INDEX IF NOT EXISTS runs_fn ON runs (fn_id, created_at)`,
  `CREATE INDEX IF NOT EXISTS runs_status ON runs (status, created_at)`,
  `CREATE TABLE IF NOT EXISTS jobs (id text PRIMARY KEY, run_id text, kind text NOT NULL, step_id text,
     run_at double precision NOT NULL, payload jsonb NOT NULL DEFAULT '{}')`,
  `CREATE INDEX IF NOT EXISTS jobs_due ON jobs (run_at, id)`,
  `CREATE INDEX IF NOT EXISTS jobs_run ON jobs (run_id)`,
  `CREATE TABLE IF NOT EXISTS waits (id text PRIMARY KEY, run_id text NOT NULL, kind text NOT NULL, step_id text,
     event_name text, expr text, target_run text, expires_at double precision, created_at double precision NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS waits_event ON waits (event_name)`,
  `CREATE INDEX IF NOT EXISTS waits_run ON waits (run_id)`,
  `CREATE TABLE IF NOT EXISTS history (id text PRIMARY KEY, run_id text NOT NULL, at double precision NOT NULL,
     type text NOT NULL, step_id text, name text, data jsonb)`,
  `CREATE INDEX IF NOT EXISTS history_run ON history (run_id, id)`,
  // Queue order: a run's call jobs sort by the run's queue time (creation minus its priority
  // offset), so a started run's next step is not overtaken by newer runs, and per-key start order
  // is FIFO. ckeys (concurrency keys) and tkey (throttle key, on jobs that start a run) let the
  // scheduler skip blocked keys in SQL instead of rescanning them every tick.
  `ALTER TABLE runs ADD COLUMN IF NOT EXISTS prio double precision`,
  `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS prio double precision`,
  `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS ckeys text[] NOT NULL DEFAULT '{}'`,
  `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS tkey text`,
  `CREATE INDEX IF NOT EXISTS jobs_tkey ON jobs (tkey) WHERE tkey IS NOT NULL`,
  // Flow-control state (throttle cells, rate-limit windows, idempotency keys, debounce and batch buffers).
  // Leases are kept in memory (store.ts); databases of older engines still carry the column.
  `ALTER TABLE jobs DROP COLUMN IF EXISTS leased`,
  `CREATE TABLE IF NOT EXISTS flow (kind text NOT NULL, key text NOT NULL, value jsonb NOT NULL,
     expires_at double precision, PRIMARY KEY (kind, key))`,
];

export async function ensureSchema(sql: Sql): Promise<void> {
  for (const stmt of DDL) await sql.query(stmt);
}
