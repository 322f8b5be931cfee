import { type DatabaseKind, getDatabase } from "@/db";
import { pingDatabase } from "@/db/queries/health";
import { SECRET_ENV_NAMES } from "@/lib/config/env-schema";
import { inngestMode } from "@/lib/config/inngest-mode";

/** A health check that hangs is worse than one that fails: give up on the database after this. */
export const DATABASE_PING_TIMEOUT_MS = 3_000;

/** Environment variables whose values must never appear in a health report, even inside an error. */
const SECRET_ENV_VARS = [...SECRET_ENV_NAMES, "OPENAI_API_KEY"];

export type HealthReport = {
  status: "ok" | "degraded";
  database: { ok: boolean; kind: DatabaseKind | null; latencyMs: number | null; error?: string };
  inngest: { mode: "dev" | "cloud" | null; serverUrl: string | null; error?: string };
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

/**
 * Database reachability (`select 1`) and the Inngest mode. Only the database decides the HTTP
 * status (load balancers act on it); a misconfigured Inngest still marks the report degraded.
 */
export async function checkHealth(): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const database = await checkDatabase();
  const inngest = checkInngest();
  const status = database.ok && !inngest.error ? "ok" : "degraded";
  return { httpStatus: database.ok ? 200 : 503, report: { status, database, inngest } };
}
