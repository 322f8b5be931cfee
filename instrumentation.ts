/**
 * Next calls register() once when a server starts, and compiles this file for the Edge runtime
 * too: what only Node.js can run (process.exit, the database, tracing) lives in
 * instrumentation-node.ts, imported behind the runtime check so the Edge build never sees it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { registerNode } = await import("./instrumentation-node");
  await registerNode();
}
