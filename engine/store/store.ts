import { ulid } from "../ids";
import type { EngineEvent, FnConfig, FnRow, JobKind, JobRow, RunMeta, RunRow, RunStatus, WaitRow } from "../types";
import type { Sql } from "./sql";

const j = (v: unknown) => JSON.stringify(v ?? null);

export interface RunFilter {
  fnId?: string;
  status?: RunStatus | RunStatus[];
  from?: number;
  to?: number;
  limit?: number;
}

/** Named queries over the engine schema; every write is a single statement or runs inside `sql.tx`. */
export class Store {
  /** Function configs change only on sync, and every call and event reads them: cache them until then. */
  constructor(
    readonly sql: Sql,
    private cache: { fns?: Promise<FnRow[]> } = {},
  ) {}

  with(sql: Sql): Store {
    return new Store(sql, this.cache);
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
    this.cache.fns = undefined;
  }
  /** The shared cached list: callers must not mutate it. */
  listFunctions(): Promise<FnRow[]> {
    const fns = (this.cache.fns ??= this.sql.query<FnRow>(`SELECT * FROM functions ORDER BY id`));
    fns.catch(() => {
      if (this.cache.fns === fns) this.cache.fns = undefined;
    });
    return fns;
  }
  async getFunction(id: string): Promise<FnRow | undefined> {
    return (await this.listFunctions()).find((f) => f.id === id);
  }

  // ---- events
  async findEventByUserId(userId: string, since: number) {
    return (
      await this.sql.query<{ id: string }>(
        `SELECT id FROM events WHERE user_id = $1 AND received_at >= $2 ORDER BY received_at LIMIT 1`,
        [userId, since],
      )
    )[0];
  }
  async eventExists(id: string): Promise<boolean> {
    return (await this.sql.query(`SELECT 1 FROM events WHERE id = $1`, [id])).length > 0;
  }
  async insertEvent(id: string, userId: string | null, payload: EngineEvent): Promise<void> {
    await this.sql.query(
      `INSERT INTO events (id, user_id, name, payload, received_at) VALUES ($1,$2,$3,$4::text::jsonb,$5) ON CONFLICT (id) DO NOTHING`,
      [id, userId, payload.name, j(payload), Date.now()],
    );
  }
  listEvents(limit = 100, name?: string) {
    return this.sql.query<{ id: string; name: string; payload: EngineEvent; received_at: number }>(
      `SELECT id, name, payload, received_at FROM events WHERE ($2::text IS NULL OR name = $2) ORDER BY id DESC LIMIT $1`,
      [limit, name ?? null],
    );
  }
  async getEvent(id: string) {
    return (
      await this.sql.query<{ id: string; name: string; payload: EngineEvent; received_at: number }>(
        `SELECT id, name, payload, received_at FROM events WHERE id = $1`,
        [id],
      )
    )[0];
  }

  // ---- runs
  async insertRun(r: {
    id: string;
    fnId: string;
    event: EngineEvent;
    events: EngineEvent[];
    meta: RunMeta;
    replayOf?: string | null;
    createdAt: number;
    prio: number;
  }): Promise<void> {
    await this.sql.query(
      `INSERT INTO runs (id, fn_id, status, event, events, meta, created_at, replay_of, prio)
       VALUES ($1,$2,'queued',$3::text::jsonb,$4::text::jsonb,$5::text::jsonb,$6,$7,$8)`,
      [r.id, r.fnId, j(r.event), j(r.events), j(r.meta), r.createdAt, r.replayOf ?? null, r.prio],
    );
  }
  /** Marks a queued run started; false if it already started or is no longer queued (e.g. cancelled). */
  async markStarted(id: string, at: number): Promise<boolean> {
    const r = await this.sql.query(
      `UPDATE runs SET status = 'running', started_at = $2 WHERE id = $1 AND status = 'queued' AND started_at IS NULL RETURNING id`,
      [id, at],
    );
    return r.length > 0;
  }
  async getRun(id: string): Promise<RunRow | undefined> {
    return (await this.sql.query<RunRow>(`SELECT * FROM runs WHERE id = $1`, [id]))[0];
  }
  async saveRunState(run: RunRow): Promise<void> {
    await this.sql.query(
      `UPDATE runs SET status=$2, steps=$3::text::jsonb, stack=$4::text::jsonb, step_attempts=$5::text::jsonb, attempt=$6, parallel=$7,
       output=$8::text::jsonb, error=$9::text::jsonb, meta=$10::text::jsonb, started_at=$11, ended_at=$12 WHERE id=$1`,
      [
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
      ],
    );
  }
  listRuns(f: RunFilter = {}) {
    const statuses = f.status === undefined ? null : Array.isArray(f.status) ? f.status : [f.status];
    return this.sql.query<RunRow>(
      `SELECT * FROM runs WHERE ($1::text IS NULL OR fn_id = $1) AND ($2::text IS NULL OR status = ANY(string_to_array($2, ',')))
       AND ($3::float8 IS NULL OR created_at >= $3) AND ($4::float8 IS NULL OR created_at <= $4)
       ORDER BY id DESC LIMIT $5`,
      [f.fnId ?? null, statuses ? statuses.join(",") : null, f.from ?? null, f.to ?? null, f.limit ?? 200],
    );
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
  /** Due jobs in queue order, skipping jobs whose concurrency keys are full right now. */
  dueJobs(now: number, limit: number, fullKeys: string[] = []) {
    return this.sql.query<JobRow>(
      `SELECT * FROM jobs WHERE run_at <= $1 AND NOT leased AND NOT (ckeys && $3::text[])
       ORDER BY coalesce(prio, run_at), id LIMIT $2`,
      [now, limit, fullKeys],
    );
  }
  async nextJobTime(fullKeys: string[] = []): Promise<number | undefined> {
    const r = await this.sql.query<{ t: number | null }>(
      `SELECT min(run_at) AS t FROM jobs WHERE NOT leased AND NOT (ckeys && $1::text[])`,
      [fullKeys],
    );
    return r[0]?.t ?? undefined;
  }
  /** Throttle: every not-yet-started run of the key waits until `at`; their queue order is unchanged. */
  async deferThrottled(tkey: string, at: number): Promise<void> {
    await this.sql.query(`UPDATE jobs SET run_at = $2 WHERE tkey = $1 AND kind = 'call' AND NOT leased AND run_at < $2`, [tkey, at]);
  }
  /** Claims a job; false if someone else (a previous tick) already did. */
  async leaseJob(id: string): Promise<boolean> {
    return (await this.sql.query(`UPDATE jobs SET leased = true WHERE id = $1 AND NOT leased RETURNING id`, [id])).length > 0;
  }
  async releaseJob(id: string, runAt?: number): Promise<void> {
    await this.sql.query(`UPDATE jobs SET leased = false, run_at = coalesce($2, run_at) WHERE id = $1`, [id, runAt ?? null]);
  }
  async deferJob(id: string, runAt: number): Promise<void> {
    await this.sql.query(`UPDATE jobs SET run_at = $2 WHERE id = $1`, [id, runAt]);
  }
  /** A single-process engine: any lease left in the table belongs to a process that died, so free them all. */
  async releaseAllLeases(): Promise<void> {
    await this.sql.query(`UPDATE jobs SET leased = false WHERE leased`);
  }
  async deleteJob(id: string): Promise<void> {
    await this.sql.query(`DELETE FROM jobs WHERE id = $1`, [id]);
  }
  async deleteRunJobs(runId: string): Promise<void> {
    await this.sql.query(`DELETE FROM jobs WHERE run_id = $1 AND NOT leased`, [runId]);
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
  waitsForEvent(name: string, now: number) {
    return this.sql.query<WaitRow>(
      `SELECT * FROM waits WHERE event_name = $1 AND kind <> 'invoke' AND (expires_at IS NULL OR expires_at > $2) ORDER BY id`,
      [name, now],
    );
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
  async deleteRunWaits(runId: string): Promise<void> {
    await this.sql.query(`DELETE FROM waits WHERE run_id = $1`, [runId]);
  }

  // ---- history (the run's timeline)
  async addHistory(runId: string, type: string, o: { stepId?: string | null; name?: string | null; data?: unknown } = {}) {
    await this.sql.query(`INSERT INTO history (id, run_id, at, type, step_id, name, data) VALUES ($1,$2,$3,$4,$5,$6,$7::text::jsonb)`, [
      ulid(),
      runId,
      Date.now(),
      type,
      o.stepId ?? null,
      o.name ?? null,
      j(o.data),
    ]);
  }
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
  /** Inserts only if absent or expired; true when this call created it (idempotency, dedupe). */
  async claimFlow(kind: string, key: string, value: unknown, expiresAt: number, now: number): Promise<boolean> {
    const r = await this.sql.query(
      `INSERT INTO flow (kind, key, value, expires_at) VALUES ($1,$2,$3::text::jsonb,$4)
       ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
       WHERE flow.expires_at IS NOT NULL AND flow.expires_at <= $5 RETURNING key`,
      [kind, key, j(value), expiresAt, now],
    );
    return r.length > 0;
  }
  async deleteFlow(kind: string, key: string): Promise<void> {
    await this.sql.query(`DELETE FROM flow WHERE kind = $1 AND key = $2`, [kind, key]);
  }
}
