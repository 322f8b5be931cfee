import type http from "node:http";
import type { AddressInfo } from "node:net";
import { inngestBackoff, type Backoff } from "./backoff";
import { checkpointAsync } from "./checkpoint";
import { createRunLocks, type EngineContext } from "./context";
import { ingestEvents } from "./events";
import { IntakeQueue } from "./intake-queue";
import { cancelRun, createRun } from "./runs";
import { Scheduler } from "./scheduler";
import { createServer } from "./server";
import { ensureSchema } from "./store/schema";
import { databaseFromEnv, openSql, type DatabaseOption, type Sql } from "./store/sql";
import { Store, type RunFilter } from "./store/store";
import { forgetDisallowedApps, refusal, RegistrationError, registerFunctions, syncApp } from "./sync";
import { httpTransport, inProcessTransport, isLoopbackUrl, type Transport } from "./transport";
import type { EngineEvent, FnConfig, Logger, RunRow } from "./types";

export interface EngineOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8288; 0 picks a free port. */
  port?: number;
  /** Default: ENGINE_DATABASE_URL, DATABASE_URL, else PGlite under $SENDLINE_DATA_DIR/engine. `{ pgliteDir: "memory://" }` for tests. */
  database?: DatabaseOption;
  /** Serve URLs of the apps to sync. */
  appUrl?: string | string[];
  /** In-process transport: a web-standard serve() handler (e.g. from `inngest/edge`) called without HTTP. */
  handler?: (req: Request) => Promise<Response>;
  /** Custom transport; default HTTP to the app URL. Ignored when `handler` is set. */
  transport?: Transport;
  /** Cloud mode: sign calls to the app and require the SDK's bearer auth. Default INNGEST_SIGNING_KEY. */
  signingKey?: string;
  signingKeyFallback?: string;
  /** Events must be posted to `/e/<this key>`. Default INNGEST_EVENT_KEY; unset accepts any key, as Inngest's dev server does. */
  eventKey?: string;
  /** Allow non-loopback app URLs (or ENGINE_ALLOW_NON_LOOPBACK=1). */
  allowNonLoopback?: boolean;
  /** Wait in ms after failed attempt n (0-based). Default Inngest's schedule, 15 s … 2 h plus jitter; tests pass a fast one. */
  backoff?: Backoff;
  logger?: Logger;
}

const consoleLogger: Logger = {
  info: (m) => console.log(`[engine] ${m}`),
  warn: (m, e) => console.warn(`[engine] ${m}`, e ?? ""),
  error: (m, e) => console.error(`[engine] ${m}`, e ?? ""),
};

export class Engine {
  ctx!: EngineContext;
  private sql: Sql | undefined;
  private server: http.Server | undefined;
  private scheduler: Scheduler | undefined;
  private intake: IntakeQueue | undefined;
  private appUrls: string[];
  private transport: Transport;
  private inProcess: boolean;
  url = "";

  /** The bind address; the engine also answers to loopback names (see request-guard.ts). */
  get host(): string {
    return this.options.host ?? "127.0.0.1";
  }

  get eventKey(): string | undefined {
    return this.options.eventKey ?? (process.env.INNGEST_EVENT_KEY || undefined);
  }

  constructor(private options: EngineOptions = {}) {
    const urls = options.appUrl === undefined ? [] : Array.isArray(options.appUrl) ? options.appUrl : [options.appUrl];
    this.appUrls = urls.flatMap((u) => u.split(",")).map((u) => u.trim()).filter(Boolean);
    this.inProcess = options.handler !== undefined;
    this.transport = options.handler ? inProcessTransport(options.handler) : (options.transport ?? httpTransport);
  }

  async start(): Promise<void> {
    const o = this.options;
    this.sql = await openSql(o.database ?? databaseFromEnv());
    await ensureSchema(this.sql);
    const scheduler: { current?: Scheduler } = {};
    const intake = new IntakeQueue((submissions) => ingestEvents(this.ctx, submissions));
    this.intake = intake;
    this.ctx = {
      store: new Store(this.sql),
      log: o.logger ?? consoleLogger,
      transport: this.guardedTransport(),
      allowsAppUrl: (url) => this.allowsAppUrl(url),
      signingKey: o.signingKey ?? (process.env.INNGEST_SIGNING_KEY || undefined),
      signingKeyFallback: o.signingKeyFallback ?? (process.env.INNGEST_SIGNING_KEY_FALLBACK || undefined),
      backoff: o.backoff ?? inngestBackoff,
      emit: (events) => intake.submit({ events }),
      poke: (at) => scheduler.current?.poke(at),
      withRunLock: createRunLocks(),
    };
    // Registrations kept from a run with other rules (or an older engine) must not survive it.
    for (const problem of await forgetDisallowedApps(this.ctx)) this.ctx.log.warn(problem);
    this.server = createServer(this);
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(o.port ?? 8288, o.host ?? "127.0.0.1", () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
    this.url = `http://${host}:${addr.port}`;
    this.scheduler = new Scheduler(this.ctx);
    scheduler.current = this.scheduler;
    await this.scheduler.start();
  }

  /** Stops taking work; in-flight calls get `graceMs` to finish, then are aborted (their jobs rerun next start). */
  async stop(graceMs = 2000): Promise<void> {
    await this.scheduler?.stop(graceMs);
    // Lifecycle events emitted by the last runs to end are stored before the database closes.
    await this.intake?.idle();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((r) => this.server!.close(() => r()));
    }
    await this.sql?.close();
    this.server = undefined;
    this.sql = undefined;
  }

  /** Loopback app URLs only, unless allowed (or calls never leave the process). */
  allowsAppUrl(url: string): boolean {
    return this.options.allowNonLoopback || process.env.ENGINE_ALLOW_NON_LOOPBACK === "1" || this.inProcess || isLoopbackUrl(url);
  }

  private guardedTransport(): Transport {
    return (req) => {
      if (!this.allowsAppUrl(req.url)) throw new Error(refusal(req.url));
      return this.transport(req);
    };
  }

  /** Syncs one app URL, or every configured one. A URL the engine may not call throws a RegistrationError first. */
  async sync(appUrl?: string): Promise<void> {
    const urls = appUrl ? [appUrl] : this.appUrls;
    const errors: string[] = [];
    let refusedConfig = false;
    if (appUrl && !this.allowsAppUrl(appUrl)) throw new RegistrationError(refusal(appUrl));
    for (const u of urls) {
      if (!this.allowsAppUrl(u)) {
        errors.push(refusal(u));
        continue;
      }
      if (appUrl && !this.appUrls.includes(u)) this.appUrls.push(u);
      await syncApp(this.ctx, u).catch((e: Error) => {
        refusedConfig ||= e instanceof RegistrationError;
        errors.push(e.message);
      });
    }
    // A configuration the engine refuses is the caller's to fix (a 400), not an unreachable app.
    if (errors.length) throw refusedConfig ? new RegistrationError(errors.join("; ")) : new Error(errors.join("; "));
  }

  /** An app registering itself (`/fn/register`); throws a RegistrationError for a URL the engine may not call. */
  registerFromSdk(url: string, appId: string, fns: FnConfig[], info: unknown) {
    return registerFunctions(this.ctx, url, appId, fns, info);
  }

  send(events: EngineEvent | EngineEvent[], seed?: string): Promise<string[]> {
    return this.intake!.submit({ events: Array.isArray(events) ? events : [events], seed });
  }

  checkpoint(runId: string, body: { steps?: never[] }) {
    return checkpointAsync(this.ctx, runId, body);
  }

  listRuns(filter: RunFilter = {}): Promise<RunRow[]> {
    return this.ctx.store.listRuns(filter);
  }
  countRuns(filter: RunFilter = {}): Promise<number> {
    return this.ctx.store.countRuns(filter);
  }
  getRun(id: string): Promise<RunRow | undefined> {
    return this.ctx.store.getRun(id);
  }
  history(runId: string) {
    return this.ctx.store.history(runId);
  }
  listEvents(limit = 100, name?: string) {
    return this.ctx.store.listEvents(limit, name);
  }
  cancel(runId: string): Promise<boolean> {
    return cancelRun(this.ctx, runId, "cancelled by operator");
  }

  /** Reruns a run from the start with its original event(s), as Inngest's dashboard replay does. */
  async replay(runId: string): Promise<string | undefined> {
    const run = await this.ctx.store.getRun(runId);
    const fn = run && (await this.ctx.store.getFunction(run.fn_id));
    if (!run || !fn) return undefined;
    return createRun(this.ctx, fn, run.events.length ? run.events : [run.event], { replayOf: run.id });
  }

  /** Replays every failed run of a function created in [from, to]. */
  async replayFailed(fnId: string, from?: number, to?: number): Promise<string[]> {
    const runs = await this.ctx.store.listRuns({ fnId, status: "failed", from, to, limit: 10_000 });
    const ids: string[] = [];
    for (const r of runs.reverse()) {
      const id = await this.replay(r.id);
      if (id) ids.push(id);
    }
    return ids;
  }

  /** Polls until a run matching `predicate` exists (tests); rejects after `timeoutMs`. */
  async waitForRun(predicate: (run: RunRow) => boolean, timeoutMs = 10_000, filter: RunFilter = {}): Promise<RunRow> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = (await this.listRuns({ limit: 1000, ...filter })).find(predicate);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`waitForRun timed out after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Polls until `count` runs match (tests). */
  async waitForRuns(predicate: (run: RunRow) => boolean, count: number, timeoutMs = 10_000, filter: RunFilter = {}): Promise<RunRow[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = (await this.listRuns({ limit: 1000, ...filter })).filter(predicate);
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) throw new Error(`waitForRuns: ${hits.length}/${count} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
