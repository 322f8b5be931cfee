import { getDatabase } from "@/db";
import { logger } from "@/lib/observability/logger";
import { schemaVersion } from "@/db/queries/schema-version";
import { redactSecrets } from "@/lib/config/redact-secrets";
import { schemaBehind } from "./schema-behind";

/** How long start-up waits for the database before leaving the question to readiness. */
export const STARTUP_DATABASE_TIMEOUT_MS = 10_000;

/**
 * A production server whose database lacks the code's migrations would fail request by request
 * (a missing column here, a missing table there), so start-up refuses it. A database that does
 * not answer is not a refusal: a restarting database must not crash-loop every instance, and
 * /api/health answers 503 until it answers.
 */
export async function startupSchemaProblem(): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      getDatabase().then((database) => schemaVersion(database.db)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${STARTUP_DATABASE_TIMEOUT_MS} ms`)), STARTUP_DATABASE_TIMEOUT_MS);
      }),
    ]);
    return schemaBehind(version);
  } catch (error) {
    logger.warn(`The database schema could not be checked at start (${redactSecrets((error as Error).message)}); /api/health reports it until the database answers.`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}
