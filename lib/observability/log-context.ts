import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line of a unit of work carries, so one run's lines can be found together. */
export type LogContext = {
  workspaceId?: string;
  /** Inngest's run id. */
  runId?: string;
  eventId?: string;
  /** The Inngest function id, without the app prefix (`send-notification`). */
  function?: string;
  step?: string;
  /** 0 on the first attempt of a step (or of a run's function-level code). */
  attempt?: number;
};

// One store per process, even when a bundler loads this module more than once (Next gives each
// route its own module graph): the middleware that sets the context and the code that logs in it
// must see the same storage.
const STORAGE_KEY = Symbol.for("sendline.observability.log-context");
const holder = globalThis as { [STORAGE_KEY]?: AsyncLocalStorage<LogContext> };
const storage = (holder[STORAGE_KEY] ??= new AsyncLocalStorage<LogContext>());

/** The context of the work this code runs for, or an empty one outside any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function defined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * Adds `fields` to the context of the work already running (one request's store, made by
 * withLogContext), so lines written anywhere in it from now on carry them — including lines of
 * wrappers outside the caller, which share that store.
 */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, defined(fields));
}

/** Runs `fn` with `fields` added to the current context; code deep inside logs with them without being passed anything. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...defined(fields) }, fn);
}
