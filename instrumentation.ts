/**
 * Next calls register() once when a server starts. The environment is checked here, whole, so a
 * value Sendline cannot use is reported by name at start rather than on first use. A production
 * server (`next start`, a serverless instance) refuses to start with one message listing
 * everything it lacks: unusable values, missing production settings (lib/config/
 * production-problems.ts) and a database behind the code's migrations. In development each
 * problem is printed (`npm run dev` has already refused to start on them).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isProductionServer, productionProblems, productionProblemsMessage } = await import("@/lib/config/production-problems");
  if (isProductionServer()) {
    const problems = productionProblems();
    if (problems.length === 0) {
      const { startupSchemaProblem } = await import("@/lib/health/startup-schema-problem");
      const schema = await startupSchemaProblem();
      if (schema) problems.push(schema);
    }
    if (problems.length > 0) {
      console.error(productionProblemsMessage(problems));
      // Next only logs an error thrown here and serves every request a 500 after saying "Ready": exit, so
      // `next start`, a container and its orchestrator see the refusal.
      process.exit(1);
    }
    const { closeDatabaseOnShutdown } = await import("@/db/close-on-shutdown");
    closeDatabaseOnShutdown();
    return;
  }
  const { readEnv } = await import("@/lib/config/env");
  const { issues } = readEnv();
  if (issues.length === 0) return;
  console.warn(`The environment has values Sendline cannot use:\n${issues.map((issue) => `  ${issue.message}`).join("\n")}`);
}
