/**
 * The measured side of bench:webhooks, in its own process (run.ts bundles and spawns it), as the
 * app runs in production apart from Inngest: one loopback HTTP server hosting the app's real
 * routes — serve() at /api/inngest (the engine calls it), the Resend webhook route at
 * /api/webhooks/resend — and the bare baseline at /bench/bare-webhook: the same body read,
 * the same Svix verification and the same webhook_events insert, and nothing else.
 *
 *   worker.mjs '<database json>'
 * Prints `BENCH_READY {origin}`, serves until stdin closes, then prints `BENCH_RESULT {cpuSeconds}`.
 */
import { createInterface } from "node:readline";
import { NextResponse } from "next/server";
import { serveRoutes } from "@/bench/serve-app";
import { type OpenOptions, openDatabase, setDatabase } from "@/db";
import { insertWebhookEvent } from "@/db/queries/webhook-events";
import { envValue } from "@/core/config/env";
import { apiError } from "@/lib/api/responses";
import { verifyResendWebhook } from "@/lib/providers/email/resend/verify-resend-webhook";
import { readWebhookBody } from "@/lib/webhooks/webhook-body";

async function main() {
  const database = openDatabase(JSON.parse(process.argv[2]!) as OpenOptions);
  setDatabase(database);
  const serve = await import("@/app/api/inngest/route");
  const webhook = await import("@/app/api/webhooks/resend/route");
  const secret = envValue("RESEND_WEBHOOK_SECRET")!;
  /** The floor: verify the signature and insert the row; no event, no rate limit. */
  const bare = async (request: Request): Promise<Response> => {
    const raw = await readWebhookBody(request);
    if (raw === null) return apiError(413, "payload_too_large", "too large");
    const verified = verifyResendWebhook(raw, request.headers, secret);
    if (!verified.ok) return apiError(verified.status, verified.code, verified.message);
    const type = typeof verified.payload.type === "string" ? verified.payload.type : "unknown";
    const { created } = await insertWebhookEvent(database.db, { provider: "resend", deliveryId: verified.deliveryId, type, payload: verified.payload });
    return NextResponse.json({ received: true, duplicate: !created });
  };
  const server = await serveRoutes({
    "/api/inngest": serve,
    "/api/webhooks/resend": { POST: webhook.POST as (request: never) => Promise<Response> },
    "/bench/bare-webhook": { POST: bare as (request: never) => Promise<Response> },
  });
  const cpu = process.cpuUsage();
  process.stdout.write(`BENCH_READY ${JSON.stringify({ origin: server.origin })}\n`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).on("close", resolve));
  const used = process.cpuUsage(cpu);
  await server.close();
  await database.close();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
