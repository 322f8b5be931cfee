/**
 * The whole system in one process, as `npm run dev` runs it but without Next: the local engine
 * and the app's real routes (serve() and the notifications API) on loopback. Tests spawn it to
 * kill it for real (SIGKILL: no shutdown code runs) and start it again on the same state.
 *   node --import tsx test/support/app-process.ts
 * Env: APP_PROCESS_APP (postgres url | PGlite dir), APP_PROCESS_ENGINE (`url#schema` | PGlite
 * dir), APP_PROCESS_ENGINE_PORT, plus whatever the app reads (RESEND_*, EMAIL_PROVIDER_RPS).
 * Prints `APP_PROCESS_READY {"apiUrl", "apiKey"?}`; the API key only on the first start.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const appTarget = process.env.APP_PROCESS_APP!;
const engineTarget = process.env.APP_PROCESS_ENGINE!;
const enginePort = Number(process.env.APP_PROCESS_ENGINE_PORT);
process.env.INNGEST_DEV = `http://127.0.0.1:${enginePort}`;
const isUrl = (target: string) => /^postgres(ql)?:\/\//.test(target);

const { openDatabase, setDatabase } = await import("@/db");
const { createEngine } = await import("@/engine");
const { listWorkspaces } = await import("@/db/queries/workspaces");
const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
const serveRoute = await import("@/app/api/inngest/route");
const notifications = await import("@/app/api/v1/notifications/route");

const database = openDatabase(isUrl(appTarget) ? { url: appTarget } : { pgliteDir: appTarget });
await database.migrate();
setDatabase(database);
const [url, schema] = engineTarget.split("#");
const engine = createEngine({
  port: enginePort,
  database: isUrl(engineTarget) ? { url: url!, schema: schema! } : { pgliteDir: engineTarget },
  appUrl: "http://127.0.0.1:3000/api/inngest",
  handler: (request) => serveRoute[request.method as "GET" | "POST" | "PUT"](request as never, undefined as never),
  backoff: () => 200,
  logger: { info() {}, warn() {}, error() {} },
});
await engine.start();
await engine.sync();

let apiKey: string | undefined;
if ((await listWorkspaces(database.db)).length === 0) ({ apiKey } = await createWorkspace(database.db, { name: "App process" }));

const server = http.createServer((req, res) => {
  void (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    const handler = req.method === "POST" ? notifications.POST : notifications.GET;
    const response = await handler(request as never, { params: Promise.resolve({}) } as never);
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  })().catch((error: unknown) => {
    res.writeHead(500);
    res.end(String(error));
  });
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`APP_PROCESS_READY ${JSON.stringify({ apiUrl: `http://127.0.0.1:${port}/api/v1/notifications`, apiKey })}\n`);
});
