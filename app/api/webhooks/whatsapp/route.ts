import { timingSafeEqual } from "node:crypto";
import { NextResponse } from "next/server";
import { getDatabase } from "@/db";
import { apiError } from "@/lib/api/responses";
import { payloadTooLarge } from "@/lib/api/route";
import { envValue } from "@/core/config/env";
import { logInternalError } from "@/lib/errors/public-error-message";
import { acceptWebhook, WebhookEmitError } from "@/lib/webhooks/accept-webhook";
import { isValidMetaSignature } from "@/lib/providers/whatsapp/meta/meta-signature";
import { metaWebhookDeliveries } from "@/lib/providers/whatsapp/meta/meta-whatsapp-event";
import { MAX_WEBHOOK_BODY_BYTES, readWebhookBody } from "@/lib/webhooks/webhook-body";
import { logger } from "@/lib/observability/logger";
import { limitWebhookRequest } from "@/lib/webhooks/webhook-rate-limit";
import { sendWebhookEvent } from "@/inngest/webhook-event-sender";

export const dynamic = "force-dynamic";

/**
 * Meta's subscription handshake: when the webhook is saved in the app's settings, Meta calls
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` and expects the challenge back,
 * as plain text, only from an endpoint that knows the token.
 */
export async function GET(request: Request): Promise<Response> {
  const limited = limitWebhookRequest(request, "whatsapp");
  if (limited) return limited;
  const verifyToken = envValue("WHATSAPP_WEBHOOK_VERIFY_TOKEN");
  if (!verifyToken) return apiError(503, "webhook_not_configured", "WhatsApp webhooks are not enabled: set WHATSAPP_WEBHOOK_VERIFY_TOKEN");
  const query = new URL(request.url).searchParams;
  const challenge = query.get("hub.challenge");
  if (query.get("hub.mode") !== "subscribe" || !challenge) return apiError(400, "invalid_request", "Expected hub.mode=subscribe with a hub.challenge");
  if (!sameSecret(query.get("hub.verify_token") ?? "", verifyToken)) return apiError(403, "invalid_verify_token", "hub.verify_token does not match WHATSAPP_WEBHOOK_VERIFY_TOKEN");
  return new NextResponse(challenge, { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * The Cloud API's notifications (statuses and inbound messages). Verified with
 * X-Hub-Signature-256 over the raw body; each status or message of the POST is stored once
 * (a redelivered POST stores nothing new) and handed to `process-whatsapp-event` as an id-only
 * event. Meta wants a 200 within seconds, so nothing else happens here.
 */
export async function POST(request: Request): Promise<Response> {
  const limited = limitWebhookRequest(request, "whatsapp");
  if (limited) return limited;
  const appSecret = envValue("WHATSAPP_APP_SECRET");
  if (!appSecret) return apiError(503, "webhook_not_configured", "WhatsApp webhooks are not enabled: set WHATSAPP_APP_SECRET");
  const signature = request.headers.get("x-hub-signature-256");
  if (!signature) return apiError(401, "missing_signature", "Missing X-Hub-Signature-256 header");
  const rawBody = await readWebhookBody(request);
  if (rawBody === null) return payloadTooLarge(MAX_WEBHOOK_BODY_BYTES, "Webhook bodies");
  if (!isValidMetaSignature(appSecret, rawBody, signature)) {
    return apiError(401, "invalid_signature", "The X-Hub-Signature-256 does not match this body (check WHATSAPP_APP_SECRET)");
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return apiError(400, "invalid_payload", "The body is not JSON");
  }
  const parsed = metaWebhookDeliveries(body);
  if (!parsed.ok) return apiError(400, "invalid_payload", parsed.message);
  // A business account may hold several numbers; only this deployment's number's messages open its windows.
  const ownNumber = envValue("WHATSAPP_PHONE_NUMBER_ID");
  const deliveries = parsed.deliveries.filter((delivery) => !ownNumber || !delivery.payload.phoneNumberId || delivery.payload.phoneNumberId === ownNumber);
  try {
    const { db } = await getDatabase();
    for (const delivery of deliveries) {
      await acceptWebhook(
        db,
        { provider: "whatsapp", deliveryId: delivery.deliveryId, type: delivery.type, payload: delivery.payload },
        sendWebhookEvent,
      );
    }
    return NextResponse.json({ received: deliveries.length }, { status: 200 });
  } catch (error) {
    if (error instanceof WebhookEmitError) {
      logger.error({ err: error }, "webhooks/whatsapp: the event could not be queued");
      return apiError(503, "queue_unavailable", "The webhook could not be queued; redeliver it");
    }
    const errorId = logInternalError(error, { where: "webhooks/whatsapp" });
    return apiError(500, "internal_error", `Internal error (id ${errorId}): something went wrong on our side`);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
