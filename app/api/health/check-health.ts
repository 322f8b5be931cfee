import { type DatabaseKind, getDatabase } from "@/db";
import { pingDatabase } from "@/db/queries/health";
import { type SchemaVersion, schemaVersion } from "@/db/queries/schema-version";
import { configurationReport } from "@/lib/config/configuration-report";
import { inngestMode } from "@/lib/config/inngest-mode";
import { isProductionServer, productionProblems } from "@/lib/config/production-problems";
import { redactSecrets } from "@/lib/config/redact-secrets";
import { schemaBehind } from "@/lib/health/schema-behind";
import { inngestReadiness } from "./inngest-readiness";

export { redactSecrets };

/** A health check that hangs is worse than one that fails: give up on the database after this. */
export const DATABASE_PING_TIMEOUT_MS = 3_000;

export type HealthReport = {
  /**
   * not_ready: up, but work sent now would fail or be lost (production settings missing, the
   * schema behind the code, the dev server has not synced the app yet).
   */
  status: "ok" | "degraded" | "not_ready";
  /** Why the status is not "ok", in plain words. */
  reason?: string;
  /** What a production server lacks: the list start-up refuses on (variable names, never values). */
  problems?: string[];
  database: { ok: boolean; kind: DatabaseKind | null; latencyMs: number | null; error?: string; schema?: SchemaVersion };
  inngest: { mode: "dev" | "cloud" | null; serverUrl: string | null; ready?: boolean; error?: string };
  /** Channels and services configured half-way: their own work fails, the rest runs. */
  providers?: string[];
};

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
  let latencyMs = 0;
  const started = performance.now();
  try {
    const schema = await withTimeout(
      (async () => {
        const database = await getDatabase();
        kind = database.kind;
        await pingDatabase(database.db);
        latencyMs = Math.round(performance.now() - started);
        return schemaVersion(database.db);
      })(),
      DATABASE_PING_TIMEOUT_MS,
    );
    return { ok: true, kind, latencyMs, schema };
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

/** Areas configured half-way (SMS with a SID but no token, S3 without its keys), in the words `npm run dev` prints. */
function halfConfigured(): string[] {
  return configurationReport()
    .lines.filter((line) => line.state === "half" && line.area !== "Inngest")
    .map((line) => `${line.area}: ${line.text}`);
}

/**
 * Readiness, for load balancers and deploy checks (liveness, which touches nothing, is
 * /api/health/live). 503 while work sent now would fail or be lost: the database does not
 * answer or lacks the code's migrations; a production server lacks a setting start-up
 * requires (the same list, lib/config/production-problems.ts); in dev mode, the dev server does
 * not yet know every function the app serves (an event it receives before then starts
 * nothing). A half-configured provider, or outside production a misconfigured Inngest, marks
 * the report degraded but answers 200: the rest of the app works.
 */
export async function checkHealth(): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const [database, inngest] = [await checkDatabase(), checkInngest()];
  const providers = halfConfigured();
  const extra = providers.length > 0 ? { providers } : {};
  if (!database.ok) return { httpStatus: 503, report: { status: "degraded", reason: "the database does not answer", database, inngest, ...extra } };
  const problems = isProductionServer() ? productionProblems() : [];
  const behind = database.schema ? schemaBehind(database.schema) : null;
  if (behind) problems.push(behind);
  if (problems.length > 0) {
    const reason = problems.length === 1 ? problems[0]! : `${problems.length} problems keep this server from working`;
    return { httpStatus: 503, report: { status: "not_ready", reason, problems, database, inngest, ...extra } };
  }
  if (inngest.error) return { httpStatus: 200, report: { status: "degraded", reason: inngest.error, database, inngest, ...extra } };
  if (inngest.mode === "dev") {
    const { serverUrl } = inngestMode();
    const readiness = await inngestReadiness(serverUrl, await servedFunctionIds());
    inngest.ready = readiness.ready;
    if (!readiness.ready) return { httpStatus: 503, report: { status: "not_ready", reason: redactSecrets(readiness.reason), database, inngest, ...extra } };
  }
  if (providers.length > 0) return { httpStatus: 200, report: { status: "degraded", reason: "a provider is configured half-way", database, inngest, providers } };
  return { httpStatus: 200, report: { status: "ok", database, inngest } };
}
