/**
 * What register() (instrumentation.ts) does in the Node.js runtime, once when a server starts.
 * The environment is checked here, whole, so a value Sendline cannot use is reported by name at
 * start rather than on first use. A production
 * server (`next start`, a serverless instance) refuses to start with one message listing
 * everything it lacks: unusable values, missing production settings (lib/config/
 * production-problems.ts) and a database behind the code's migrations. In development each
 * problem is logged (`npm run dev` has already refused to start on them). Tracing starts here
 * too, when configured, before any request.
 */
async function startTracing(): Promise<void> {
  const { startTracing: start } = await import("@/lib/observability/tracing");
  await start();
}

export async function registerNode(): Promise<void> {
  const { isProductionServer, productionProblems, productionProblemsMessage } = await import("@/lib/config/production-problems");
  if (isProductionServer()) {
    const problems = productionProblems();
    if (problems.length === 0) {
      const { startupSchemaProblem } = await import("@/lib/health/startup-schema-problem");
      const schema = await startupSchemaProblem();
      if (schema) problems.push(schema);
    }
    if (problems.length > 0) {
      // A refusal to start is read by a person at a terminal or in a platform's build log: plain text.
      // eslint-disable-next-line no-console
      console.error(productionProblemsMessage(problems));
      // Next only logs an error thrown here and serves every request a 500 after saying "Ready": exit, so
      // `next start`, a container and its orchestrator see the refusal.
      process.exit(1);
    }
    const { closeDatabaseOnShutdown } = await import("@/db/close-on-shutdown");
    closeDatabaseOnShutdown();
    await startTracing();
    return;
  }
  const { readEnv } = await import("@/core/config/env");
  const { issues } = readEnv();
  if (issues.length > 0) {
    const { logger } = await import("@/lib/observability/logger");
    logger.warn(`The environment has values Sendline cannot use:\n${issues.map((issue) => `  ${issue.message}`).join("\n")}`);
  }
  await startTracing();
}
