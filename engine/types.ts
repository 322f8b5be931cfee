/** Function config exactly as the SDK serializes it at sync (see engine-protocol.md). */
export interface ConcurrencyConfig {
  limit: number;
  key?: string;
  scope?: "fn" | "env" | "account";
}
export interface FnConfig {
  id: string;
  name?: string;
  triggers: Array<{ event: string; expression?: string } | { cron: string; jitter?: string }>;
  steps: Record<string, { id: string; name: string; runtime: { type: string; url: string }; retries?: { attempts?: number } }>;
  idempotency?: string;
  batchEvents?: { maxSize: number; timeout: string; key?: string; if?: string };
  rateLimit?: { key?: string; limit: number; period: string };
  throttle?: { key?: string; limit: number; period: string; burst?: number };
  singleton?: { key?: string; mode: "skip" | "cancel" };
  cancel?: Array<{ event: string; if?: string; timeout?: string }>;
  debounce?: { key?: string; period: string; timeout?: string };
  timeouts?: { start?: string; finish?: string };
  priority?: { run?: string };
  concurrency?: number | ConcurrencyConfig | ConcurrencyConfig[];
}

export interface FnRow {
  id: string;
  app_url: string;
  app_id: string | null;
  name: string | null;
  config: FnConfig;
  updated_at: number;
}

export interface EngineEvent {
  id?: string;
  name: string;
  data: Record<string, unknown>;
  ts?: number;
  user?: unknown;
  v?: string;
  [k: string]: unknown;
}

export type RunStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export type StepMemo = { data: unknown } | { error: unknown };

export interface RunMeta {
  /** Concurrency slots this run needs while a call is in flight: key → limit. */
  concurrency?: Array<{ key: string; limit: number }>;
  throttleKey?: string;
  singletonKey?: string;
  parent?: { runId: string; stepId: string };
  cancelReason?: string;
  /** Step hashes planned in parallel and not yet settled. */
  pending?: string[];
  /** Step id (hash) → display name, for the timeline. */
  names?: Record<string, string>;
}

export interface RunRow {
  id: string;
  fn_id: string;
  status: RunStatus;
  event: EngineEvent;
  events: EngineEvent[];
  steps: Record<string, StepMemo>;
  stack: string[];
  step_attempts: Record<string, number>;
  attempt: number;
  parallel: boolean;
  output: unknown;
  error: unknown;
  meta: RunMeta;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  replay_of: string | null;
  /** Queue time: created_at minus the priority offset; orders the run's call jobs. */
  prio: number | null;
}

export type JobKind =
  | "call"
  | "sleep"
  | "wait-timeout"
  | "debounce"
  | "batch"
  | "cron"
  | "timeout-start"
  | "timeout-finish"
  /** Starts an invoked child run; inserted with the parent's state so a crash cannot lose it. */
  | "invoke";

export interface JobRow {
  id: string;
  run_id: string | null;
  kind: JobKind;
  step_id: string | null;
  run_at: number;
  payload: Record<string, unknown>;
  prio: number | null;
  ckeys: string[];
  tkey: string | null;
}

export interface WaitRow {
  id: string;
  run_id: string;
  kind: "event" | "invoke" | "cancel";
  step_id: string | null;
  event_name: string | null;
  expr: string | null;
  target_run: string | null;
  expires_at: number | null;
  created_at: number;
}

export interface Logger {
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}
