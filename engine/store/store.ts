import { ulid } from "../ids";
import type { EngineEvent, FnConfig, FnRow, JobKind, JobRow, RunMeta, RunRow, RunStatus, WaitRow } from "../types";
import { copyRun, RunCache } from "./run-cache";
import type { Sql } from "./sql";

const j = (v: unknown) => JSON.stringify(v ?? null);

/** One timeline entry of a run. */
export interface HistoryEntry {
  type: string;
  stepId?: string | null;
  name?: string | null;
  data?: unknown;
}

/** A run to create, with what its creation queues: the first call, a timeouts.start job, cancelOn waits. */
export interface NewRun {
  id: string;
  fnId: string;
  event: EngineEvent;
  events: EngineEvent[];
  meta: RunMeta;
  replayOf?: string | null;
  createdAt: number;
  prio: number;
  startTimeoutAt?: number;
  cancelWaits: Array<{ event: string; expr: string | null; expiresAt: number | null }>;
}

// $1: rows as JSON (eventRows); $2: received_at.
const INSERT_EVENTS = `INSERT INTO events (id, user_id, name, payload, received_at)
  SELECT e.id, e.user_id, e.payload->>'name', e.payload, $2 FROM jsonb_to_recordset($1::text::jsonb) AS e(id text, user_id text, payload jsonb)
  ON CONFLICT (id) DO NOTHING`;

const eventRows = (rows: Array<{ id: string; userId: string | null; payload: EngineEvent }>) =>
  j(rows.map((r) => ({ id: r.id, user_id: r.userId, payload: r.payload })));

/** A wait an event may satisfy, with the event that triggered the waiting run. */
export type EventWait = WaitRow & { run_event: EngineEvent };

const WAITS_FOR_EVENTS = `SELECT w.*, r.event AS run_event FROM waits w JOIN runs r ON r.id = w.run_id
  WHERE w.event_name = ANY($names::text[]) AND w.kind <> 'invoke' AND (w.expires_at IS NULL OR w.expires_at > $now) ORDER BY w.id`;

/** A new run's first call is due at its queue time, or now when priority moved it ahead. */
export const firstCallAt = (r: NewRun) => Math.max(r.createdAt, r.prio);

// $1…$12: the run's state (runStateParams); $13: timeline entries as JSON (historyRows).
const SAVE_RUN = `UPDATE runs SET status=$2, steps=$3::text::jsonb, stack=$4::text::jsonb, step_attempts=$5::text::jsonb, attempt=$6,
  parallel=$7, output=$8::text::jsonb, error=$9::text::jsonb, meta=$10::text::jsonb, started_at=$11, ended_at=$12 WHERE id=$1`;
const INSERT_HISTORY = `INSERT INTO history (id, run_id, at, type, step_id, name, data)
  SELECT h.id, h.run_id, h.at, h.type, h.step_id, h.name, h.data
  FROM jsonb_to_recordset($13::text::jsonb) AS h(id text, run_id text, at float8, type text, step_id text, name text, data jsonb)`;

// $1 fn_id, $2 comma-separated statuses, $3/$4 created_at bounds; NULL means "any".
const RUN_FILTER = `($1::text IS NULL OR fn_id = $1) AND ($2::text IS NULL OR status = ANY(string_to_array($2, ',')))
  AND ($3::float8 IS NULL OR created_at >= $3) AND ($4::float8 IS NULL OR created_at <= $4)`;

function runFilterParams(f: RunFilter): unknown[] {
  const statuses = f.status === undefined ? null : Array.isArray(f.status) ? f.status : [f.status];
  return [f.fnId ?? null, statuses ? statuses.join(",") : null, f.from ?? null, f.to ?? null];
}

function runStateParams(run: RunRow): unknown[] {
  return [
    run.id,
    run.status,
    j(run.steps),
    j(run.stack),
    j(run.step_attempts),
    run.attempt,
    run.parallel,
    j(run.output),
    j(run.error),
    j(run.meta),
    run.started_at,
    run.ended_at,
  ];
}

function historyRows(runId: string, entries: HistoryEntry[]) {
  const at = Date.now();
  return entries.map((e) => ({ id: ulid(at), run_id: runId, at, type: e.type, step_id: e.stepId ?? null, name: e.name ?? null, data: e.data ?? null }));
}

export interface RunFilter {
  fnId?: string;
  status?: RunStatus | RunStatus[];
  from?: number;
  to?: number;
  limit?: number;
}

/** What a Store and the transaction-bound Stores made from it share. */
interface Shared {
  /** Function configs change only on sync, and every call and event reads them: cached until then. */
  fns?: Promise<FnRow[]>;
  runs: RunCache;
  /**
   * Jobs in flight. Leases live in memory: the engine is one process, so a lease never outlives
   * it (a restarted engine used to clear every stored lease first anyway), and taking one costs
   * no statement.
   */
  leases: Set<string>;
}

/** Named queries over the engine schema; every write is a single statement or runs inside `tx`. */
export class Store {
  constructor(
    readonly sql: Sql,
    private shared: Shared = { runs: new RunCache(), leases: new Set() },
    /** Inside `tx`: the runs it wrote, for the cache once the transaction commits (null: forget). */
    private txWrites?: Map<string, RunRow | null>,
  ) {}

  /** Runs `fn` in one transaction with a Store bound to it; the run cache learns its writes only after the commit. */
  async tx<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    if (this.txWrites) return fn(this);
    const writes = new Map<string, RunRow | null>();
    try {
      const out = await this.sql.tx((q) => fn(new Store(q, this.shared, writes)));
      for (const [id, run] of writes) this.cacheRun(id, run);
      return out;
    } catch (err) {
      for (const id of writes.keys()) this.shared.runs.delete(id);
      throw err;
    }
  }

  /** Records a run's committed state (null: forget it), or notes it for the end of the transaction. */
  private remember(id: string, run: RunRow | null): void {
    if (this.txWrites) this.txWrites.set(id, run && copyRun(run));
    else this.cacheRun(id, run);
  }

  private cacheRun(id: string, run: RunRow | null): void {
    if (run) this.shared.runs.set(run);
    else this.shared.runs.delete(id);
  }

  // ---- apps & functions
  async upsertApp(url: string, appId: string | null, info: unknown, error: string | null): Promise<void> {
    await this.sql.query(
      `INSERT INTO apps (url, app_id, info, synced_at, error) VALUES ($1,$2,$3::text::jsonb,$4,$5)
       ON CONFLICT (url) DO UPDATE SET app_id = coalesce(EXCLUDED.app_id, apps.app_id), info = coalesce(EXCLUDED.info, apps.info),
       synced_at = EXCLUDED.synced_at, error = EXCLUDED.error`,
      [url, appId, info === null ? null : j(info), Date.now(), error],
    );
  }
  listApps() {
    return this.sql.query<{ url: string; app_id: string | null; synced_at: number; error: string | null }>(
      `SELECT url, app_id, synced_at, error FROM apps ORDER BY url`,
    );
  }
  /** Replaces an app's functions: functions removed from the app disappear, as on an Inngest sync. */
  async replaceFunctions(appUrl: string, appId: string, fns: FnConfig[]): Promise<void> {
    await this.sql.tx(async (q) => {
      await q.query(`DELETE FROM functions WHERE app_url = $1 OR app_id = $2`, [appUrl, appId]);
      for (const fn of fns) {
        await q.query(
          `INSERT INTO functions (id, app_url, app_id, name, config, updated_at) VALUES ($1,$2,$3,$4,$5::text::jsonb,$6)
           ON CONFLICT (id) DO UPDATE SET app_url=EXCLUDED.app_url, app_id=EXCLUDED.app_id, name=EXCLUDED.name,
           config=EXCLUDED.config, updated_at=EXCLUDED.updated_at`,
          [fn.id, appUrl, appId, fn.name ?? fn.id, j(fn), Date.now()],
        );
      }
    });
    this.shared.fns = undefined;
  }
  /** Removes an app and its functions. */
  async forgetApp(url: string): Promise<void> {
    await this.sql.tx(async (q) => {
      await q.query(`DELETE FROM functions WHERE app_url = $1`, [url]);
      await q.query(`DELETE FROM apps WHERE url = $1`, [url]);
    });
    this.shared.fns = undefined;
  }
  async deleteFunction(id: string): Promise<void> {
    await this.sql.query(`DELETE FROM functions WHERE id = $1`, [id]);
    this.shared.fns = undefined;
  }
  /** The shared cached list: callers must not mutate it. */
  listFunctions(): Promise<FnRow[]> {
    const fns = (this.shared.fns ??= this.sql.query<FnRow>(`SELECT * FROM functions ORDER BY id`));
    fns.catch(() => {
      if (this.shared.fns === fns) this.shared.fns = undefined;
    });
    return fns;
  }
  async getFunction(id: string): Promise<FnRow | undefined> {
    return (await this.listFunctions()).find((f) => f.id === id);
  }

  // ---- events
  /** Which of `ids` are stored already: a send retried with the same id seed. */
  async existingEventIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.sql.query<{ id: string }>(`SELECT id FROM events WHERE id = ANY($1::text[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }
  /**
   * A whole intake batch in one multi-row INSERT, and in the same statement the live waits for
   * `names` (each with its run's triggering event, what `if` expressions compare against): one
   * round trip for the two things every intake needs.
   */
  async insertEventsReadWaits(rows: Array<{ id: string; userId: string | null; payload: EngineEvent }>, names: string[], now: number) {
    return this.sql.query<EventWait>(
      `WITH stored AS (${INSERT_EVENTS}) ${WAITS_FOR_EVENTS.replace("$names", "$3").replace("$now", "$2")}`,
      [eventRows(rows), now, names],
    );
  }
  async insertEvents(rows: Array<{ id: string; userId: string | null; payload: EngineEvent }>): Promise<void> {
    await this.sql.query(INSERT_EVENTS, [eventRows(rows), Date.now()]);
  }
  listEvents(limit = 100, name?: string) {
    return this.sql.query<{ id: string; name: string; payload: EngineEvent; received_at: number }>(
      `SELECT id, name, payload, received_at FROM events WHERE ($2::text IS NULL OR name = $2) ORDER BY id DESC LIMIT $1`,
      [limit, name ?? null],
    );
  }

  // ---- runs
  /**
   * Creates runs with their first jobs, cancel waits and "run.queued" entries in one statement
   * (data-modifying CTEs), so a batch of thousands costs one round trip and lands atomically.
   * A call job carries its run's queue order (prio), concurrency keys and throttle key.
   */
  async insertRuns(runs: NewRun[]): Promise<void> {
    if (runs.length === 0) return;
    const jobs = runs.flatMap((r) => [
      {
        id: ulid(r.createdAt),
        run_id: r.id,
        kind: "call",
        run_at: firstCallAt(r),
        prio: r.prio,
        ckeys: (r.meta.concurrency ?? []).map((c) => c.key),
        tkey: r.meta.throttleKey ?? null,
      },
      ...(r.startTimeoutAt === undefined
        ? []
        : [{ id: ulid(r.createdAt), run_id: r.id, kind: "timeout-start", run_at: r.startTimeoutAt, prio: r.startTimeoutAt, ckeys: [], tkey: null }]),
    ]);
    const waits = runs.flatMap((r) =>
      r.cancelWaits.map((w) => ({ id: ulid(r.createdAt), run_id: r.id, event_name: w.event, expr: w.expr, expires_at: w.expiresAt, created_at: r.createdAt })),
    );
    const history = runs.map((r) => ({
      id: ulid(r.createdAt),
      run_id: r.id,
      at: r.createdAt,
      data: { event: r.event.name, replayOf: r.replayOf ?? null },
    }));
    const rows = runs.map((r) => ({
      id: r.id,
      fn_id: r.fnId,
      event: r.event,
      events: r.events,
      meta: r.meta,
      created_at: r.createdAt,
      replay_of: r.replayOf ?? null,
      prio: r.prio,
    }));
    await this.sql.query(
      `WITH new_runs AS (
         INSERT INTO runs (id, fn_id, status, event, events, meta, created_at, replay_of, prio)
         SELECT r.id, r.fn_id, 'queued', r.event, r.events, r.meta, r.created_at, r.replay_of, r.prio
         FROM jsonb_to_recordset($1::text::jsonb) AS r(id text, fn_id text, event jsonb, events jsonb, meta jsonb,
           created_at float8, replay_of text, prio float8)
         RETURNING id
       ), new_jobs AS (
         INSERT INTO jobs (id, run_id, kind, run_at, prio, ckeys, tkey)
         SELECT j.id, j.run_id, j.kind, j.run_at, j.prio, ARRAY(SELECT jsonb_array_elements_text(j.ckeys)), j.tkey
         FROM jsonb_to_recordset($2::text::jsonb) AS j(id text, run_id text, kind text, run_at float8, prio float8, ckeys jsonb, tkey text)
         RETURNING id
       ), new_waits AS (
         INSERT INTO waits (id, run_id, kind, event_name, expr, expires_at, created_at)
         SELECT w.id, w.run_id, 'cancel', w.event_name, w.expr, w.expires_at, w.created_at
         FROM jsonb_to_recordset($3::text::jsonb) AS w(id text, run_id text, event_name text, expr text, expires_at float8, created_at float8)
         RETURNING id
       )
       INSERT INTO history (id, run_id, at, type, data)
       SELECT h.id, h.run_id, h.at, 'run.queued', h.data FROM jsonb_to_recordset($4::text::jsonb) AS h(id text, run_id text, at float8, data jsonb)`,
      [j(rows), j(jobs), j(waits), j(history)],
    );
    for (const r of runs)
      this.remember(r.id, {
        id: r.id,
        fn_id: r.fnId,
        status: "queued",
        event: r.event,
        events: r.events,
        steps: {},
        stack: [],
        step_attempts: {},
        attempt: 0,
        parallel: false,
        output: null,
        error: null,
        meta: r.meta,
        created_at: r.createdAt,
        started_at: null,
        ended_at: null,
        replay_of: r.replayOf ?? null,
        prio: r.prio,
      });
  }
  /** Loads the given runs (the scheduler's candidates for one tick) in one query. */
  async getRuns(ids: string[]): Promise<Map<string, RunRow>> {
    const found = new Map<string, RunRow>();
    const missing: string[] = [];
    for (const id of ids) {
      const run = this.cachedRun(id);
      if (run) found.set(id, run);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const r of await this.sql.query<RunRow>(`SELECT * FROM runs WHERE id = ANY($1::text[])`, [missing])) found.set(r.id, r);
    return found;
  }
  /**
   * The cache answers only for runs this process wrote and, inside a transaction, not for a run
   * the transaction changed (the database has the newer state). Reads never fill the cache: a row
   * read without the run lock may be older than a save that lands meanwhile.
   */
  private cachedRun(id: string): RunRow | undefined {
    return this.txWrites?.has(id) ? undefined : this.shared.runs.get(id);
  }
  /** Marks a queued run started (with its timeline entry); false if it already started or is no longer queued (e.g. cancelled). */
  async markStarted(id: string, at: number): Promise<boolean> {
    const r = await this.sql.query(
      `WITH started AS (
         UPDATE runs SET status = 'running', started_at = $2 WHERE id = $1 AND status = 'queued' AND started_at IS NULL RETURNING id
       ), entry AS (INSERT INTO history (id, run_id, at, type) SELECT $3, id, $2, 'run.started' FROM started)
       SELECT id FROM started`,
      [id, at, ulid()],
    );
    if (r.length === 0) return false;
    if (this.txWrites) this.txWrites.set(id, null); // the transaction may still roll back: read it afresh after
    else this.shared.runs.patch(id, { status: "running", started_at: at });
    return true;
  }
  async getRun(id: string): Promise<RunRow | undefined> {
    return this.cachedRun(id) ?? (await this.sql.query<RunRow>(`SELECT * FROM runs WHERE id = $1`, [id]))[0];
  }
  /** Saves a run's state and appends its timeline entries in one statement. */
  async saveRunState(run: RunRow, entries: HistoryEntry[] = []): Promise<void> {
    await this.sql.query(
      `WITH saved AS (${SAVE_RUN} RETURNING id) ${INSERT_HISTORY}`,
      [...runStateParams(run), j(historyRows(run.id, entries))],
    );
    this.remember(run.id, run);
  }
  /**
   * Saves an ended run, drops its waits and queued jobs (and `jobId`, the leased job whose reply
   * ended it) and appends its timeline entries: one atomic statement.
   */
  async finishRun(run: RunRow, entries: HistoryEntry[], jobId: string | null): Promise<void> {
    await this.sql.query(
      `WITH saved AS (${SAVE_RUN} RETURNING id),
         gone_waits AS (DELETE FROM waits WHERE run_id = $1),
         gone_jobs AS (DELETE FROM jobs WHERE run_id = $1 AND (id = $14 OR NOT (id = ANY($15::text[]))))
       ${INSERT_HISTORY}`,
      [...runStateParams(run), j(historyRows(run.id, entries)), jobId, [...this.shared.leases]],
    );
    // An ended run is rarely read again (a late parallel reply, the dashboard): no need to keep it.
    this.remember(run.id, null);
  }
  listRuns(f: RunFilter = {}) {
    return this.sql.query<RunRow>(`SELECT * FROM runs WHERE ${RUN_FILTER} ORDER BY id DESC LIMIT $5`, [...runFilterParams(f), f.limit ?? 200]);
  }
  /** How many runs match (the filter's limit is ignored): what a poller needs without reading the rows. */
  async countRuns(f: RunFilter = {}): Promise<number> {
    const r = await this.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM runs WHERE ${RUN_FILTER}`, runFilterParams(f));
    return r[0]?.n ?? 0;
  }
  async activeRunsWithSingleton(fnId: string, key: string) {
    return this.sql.query<{ id: string }>(
      `SELECT id FROM runs WHERE fn_id = $1 AND status IN ('queued','running') AND meta->>'singletonKey' = $2`,
      [fnId, key],
    );
  }

  // ---- jobs
  /**
   * A call job inherits its run's queue order (prio), concurrency keys and — while the run has not
   * started — its throttle key, read from the run row in the same statement.
   */
  async insertJob(kind: JobKind, runAt: number, o: { runId?: string | null; stepId?: string | null; payload?: unknown; id?: string } = {}) {
    const id = o.id ?? ulid();
    await this.sql.query(
      `INSERT INTO jobs (id, run_id, kind, step_id, run_at, payload, prio, ckeys, tkey)
       SELECT $1, $2, $3, $4, $5, $6::text::jsonb,
         CASE WHEN $3 = 'call' THEN coalesce(r.prio, $5) ELSE $5 END,
         CASE WHEN $3 = 'call' AND r.id IS NOT NULL
           THEN ARRAY(SELECT c->>'key' FROM jsonb_array_elements(coalesce(r.meta->'concurrency', '[]'::jsonb)) c)
           ELSE '{}'::text[] END,
         CASE WHEN $3 = 'call' AND r.started_at IS NULL THEN r.meta->>'throttleKey' END
       FROM (SELECT 1) one LEFT JOIN runs r ON r.id = $2
       ON CONFLICT (id) DO NOTHING`,
      [id, o.runId ?? null, kind, o.stepId ?? null, runAt, j(o.payload ?? {})],
    );
    return id;
  }
  /**
   * Due jobs, skipping jobs whose concurrency keys are full right now. Jobs sharing a set of
   * concurrency keys form a lane, FIFO (queue order) within it; `turn` is a job's place in its
   * lane, and the result comes turn by turn, so the head of every lane is seen however deep
   * another lane's backlog is (the scheduler interleaves lanes from there).
   */
  dueJobs(now: number, limit: number, fullKeys: string[] = []) {
    return this.sql.query<JobRow & { turn: number }>(
      `SELECT * FROM (
         SELECT *, (row_number() OVER (PARTITION BY ckeys ORDER BY coalesce(prio, run_at), id))::int AS turn
         FROM jobs WHERE run_at <= $1 AND NOT (id = ANY($4::text[])) AND NOT (ckeys && $3::text[])
       ) due ORDER BY turn, coalesce(prio, run_at), id LIMIT $2`,
      [now, limit, fullKeys, [...this.shared.leases]],
    );
  }
  async nextJobTime(fullKeys: string[] = []): Promise<number | undefined> {
    const r = await this.sql.query<{ t: number | null }>(
      `SELECT min(run_at) AS t FROM jobs WHERE NOT (id = ANY($2::text[])) AND NOT (ckeys && $1::text[])`,
      [fullKeys, [...this.shared.leases]],
    );
    return r[0]?.t ?? undefined;
  }
  /** Throttle: every not-yet-started run of the key waits until `at`; their queue order is unchanged. */
  async deferThrottled(tkey: string, at: number): Promise<void> {
    await this.sql.query(
      `UPDATE jobs SET run_at = $2 WHERE tkey = $1 AND kind = 'call' AND NOT (id = ANY($3::text[])) AND run_at < $2`,
      [tkey, at, [...this.shared.leases]],
    );
  }
  /** Claims a job for the work it starts; false if that work is in flight already. */
  leaseJob(id: string): boolean {
    if (this.shared.leases.has(id)) return false;
    this.shared.leases.add(id);
    return true;
  }
  /** Ends a job's lease when its work settles; a job still in the table (not deleted by that work) is due again. */
  endLease(id: string): void {
    this.shared.leases.delete(id);
  }
  /** Frees a job for a later attempt, due again at `runAt` (default: as it was). */
  async releaseJob(id: string, runAt?: number): Promise<void> {
    this.endLease(id);
    if (runAt !== undefined) await this.deferJob(id, runAt);
  }
  async deferJob(id: string, runAt: number): Promise<void> {
    await this.sql.query(`UPDATE jobs SET run_at = $2 WHERE id = $1`, [id, runAt]);
  }
  async deleteJob(id: string): Promise<void> {
    await this.sql.query(`DELETE FROM jobs WHERE id = $1`, [id]);
  }
  async runJobs(runId: string) {
    return this.sql.query<JobRow>(`SELECT * FROM jobs WHERE run_id = $1`, [runId]);
  }
  async jobsOfKind(kind: JobKind) {
    return this.sql.query<JobRow>(`SELECT * FROM jobs WHERE kind = $1`, [kind]);
  }

  // ---- waits
  async insertWait(w: Omit<WaitRow, "id" | "created_at">): Promise<string> {
    const id = ulid();
    await this.sql.query(
      `INSERT INTO waits (id, run_id, kind, step_id, event_name, expr, target_run, expires_at, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [id, w.run_id, w.kind, w.step_id, w.event_name, w.expr, w.target_run, w.expires_at, Date.now()],
    );
    return id;
  }
  /** Live waits for any of the event names, each with its run's triggering event. */
  waitsForEvents(names: string[], now: number) {
    return this.sql.query<EventWait>(WAITS_FOR_EVENTS.replace("$names", "$1").replace("$now", "$2"), [names, now]);
  }
  waitsForInvoke(childRunId: string) {
    return this.sql.query<WaitRow>(`SELECT * FROM waits WHERE kind = 'invoke' AND target_run = $1`, [childRunId]);
  }
  async takeWait(id: string): Promise<boolean> {
    return (await this.sql.query(`DELETE FROM waits WHERE id = $1 RETURNING id`, [id])).length > 0;
  }
  async waitFor(runId: string, stepId: string) {
    return (await this.sql.query<WaitRow>(`SELECT * FROM waits WHERE run_id = $1 AND step_id = $2`, [runId, stepId]))[0];
  }

  // ---- history (the run's timeline)
  history(runId: string) {
    return this.sql.query<{ id: string; at: number; type: string; step_id: string | null; name: string | null; data: unknown }>(
      `SELECT id, at, type, step_id, name, data FROM history WHERE run_id = $1 ORDER BY id`,
      [runId],
    );
  }

  // ---- flow-control state
  async getFlow<T>(kind: string, key: string, now: number): Promise<T | undefined> {
    const r = await this.sql.query<{ value: T }>(
      `SELECT value FROM flow WHERE kind = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)`,
      [kind, key, now],
    );
    return r[0]?.value;
  }
  async setFlow(kind: string, key: string, value: unknown, expiresAt: number | null): Promise<void> {
    await this.sql.query(
      `INSERT INTO flow (kind, key, value, expires_at) VALUES ($1,$2,$3::text::jsonb,$4)
       ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [kind, key, j(value), expiresAt],
    );
  }
  /** Inserts each key only if absent or expired, in one statement; returns the keys this call created. Keys must be distinct. */
  async claimFlows(kind: string, claims: Array<{ key: string; value: unknown }>, expiresAt: number, now: number): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const r = await this.sql.query<{ key: string }>(
      `INSERT INTO flow (kind, key, value, expires_at)
       SELECT $1, c.key, c.value, $3 FROM jsonb_to_recordset($2::text::jsonb) AS c(key text, value jsonb)
       ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
       WHERE flow.expires_at IS NOT NULL AND flow.expires_at <= $4 RETURNING key`,
      [kind, j(claims), expiresAt, now],
    );
    return new Set(r.map((x) => x.key));
  }
  async deleteFlow(kind: string, key: string): Promise<void> {
    await this.sql.query(`DELETE FROM flow WHERE kind = $1 AND key = $2`, [kind, key]);
  }
}
