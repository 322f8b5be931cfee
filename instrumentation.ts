/**
 * Next calls register() once when a server starts. The environment is checked here, whole, so a
 * value Sendline cannot use is reported by name at start rather than on first use: a production
 * server refuses to start; in development each problem is logged (`npm run dev` has already
 * refused to start on them). Tracing starts here too, when configured, before any request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { readEnv } = await import("@/lib/config/env");
  const { issues } = readEnv();
  if (issues.length > 0) {
    const message = `The environment has values Sendline cannot use:\n${issues.map((issue) => `  ${issue.message}`).join("\n")}`;
    if (process.env.NODE_ENV === "production") throw new Error(message);
    const { logger } = await import("@/lib/observability/logger");
    logger.warn(message);
  }
  const { startTracing } = await import("@/lib/observability/tracing");
  await startTracing();
}
