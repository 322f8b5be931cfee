import { type DatabaseKind, getDatabase } from "@/db";
import { pingDatabase } from "@/db/queries/health";
import { SECRET_ENV_NAMES } from "@/lib/config/env-schema";
import { inngestMode } from "@/lib/config/inngest-mode";
import { inngestReadiness } from "./inngest-readiness";

/** A health check that hangs is worse than one that fails: give up on the database after this. */
export const DATABASE_PING_TIMEOUT_MS = 3_000;

/** Environment variables whose values must never appear in a health report, even inside an error. */
const SECRET_ENV_VARS = [...SECRET_ENV_NAMES, "OPENAI_API_KEY"];

export type HealthReport = {
  /** not_ready: up, but work sent now would be lost (the dev server has not synced the app yet). */
  status: "ok" | "degraded" | "not_ready";
  /** Why the status is not "ok", in plain words. */
  reason?: string;
  database: { ok: boolean; kind: DatabaseKind | null; latencyMs: number | null; error?: string };
  inngest: { mode: "dev" | "cloud" | null; serverUrl: string | null; ready?: boolean; error?: string };
};

/** Strips credentials from URLs and the values of known secrets out of a message. */
export function redactSecrets(message: string, env: NodeJS.ProcessEnv = process.env): string {
  let redacted = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1[redacted]@");
  for (const name of SECRET_ENV_VARS) {
    const value = env[name];
    if (value && value.length >= 4) redacted = redacted.split(value).join("[redacted]");
  }
  return redacted;
}

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(): Promise<HealthReport["database"]> {
  let kind: DatabaseKind | null = null;
  const started = performance.now();
  try {
    await withTimeout(
      (async () => {
        const database = await getDatabase();
        kind = database.kind;
        await pingDatabase(database.db);
      })(),
      DATABASE_PING_TIMEOUT_MS,
    );
    return { ok: true, kind, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, kind, latencyMs: null, error: messageOf(error) };
  }
}

function checkInngest(): HealthReport["inngest"] {
  try {
    const { mode, serverUrl } = inngestMode();
    return { mode, serverUrl: redactSecrets(serverUrl) };
  } catch (error) {
    return { mode: null, serverUrl: null, error: messageOf(error) };
  }
}

/** The ids the Inngest server knows the app's functions by; loaded only in dev mode, where it cannot throw. */
async function servedFunctionIds(): Promise<string[]> {
  const [{ inngest }, { functions }] = await Promise.all([import("@/inngest/client"), import("@/inngest/functions")]);
  return functions.map((fn) => fn.id(inngest.id));
}

/**
 * Database reachability (`select 1`), the Inngest mode and, in dev mode, readiness: 503 until
 * the dev server knows every function the app serves, since an event it receives before then
 * starts nothing. In cloud mode only the database decides the HTTP status (load balancers act
 * on it); a misconfigured Inngest still marks the report degraded.
 */
export async function checkHealth(): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const [database, inngest] = [await checkDatabase(), checkInngest()];
  if (!database.ok) return { httpStatus: 503, report: { status: "degraded", reason: "the database does not answer", database, inngest } };
  if (inngest.error) return { httpStatus: 200, report: { status: "degraded", reason: inngest.error, database, inngest } };
  if (inngest.mode === "dev") {
    const { serverUrl } = inngestMode();
    const readiness = await inngestReadiness(serverUrl, await servedFunctionIds());
    inngest.ready = readiness.ready;
    if (!readiness.ready) return { httpStatus: 503, report: { status: "not_ready", reason: redactSecrets(readiness.reason), database, inngest } };
  }
  return { httpStatus: 200, report: { status: "ok", database, inngest } };
}
